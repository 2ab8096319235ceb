import { describe, expect, it } from 'vitest'
import { BackendError, trimMessagesToFit, type ChatMessage, type TrimTools } from '../../../src/core/llm/index.js'

/** A fake tokenizer: one token per word, plus 2 tokens of template per message. */
const words = (text: string) => text.split(' ').filter((word) => word.length > 0)
const tools: TrimTools = {
  count: (messages) => messages.reduce((sum, message) => sum + 2 + words(message.content).length, 0),
  dropLeadingTokens: (text, tokens) => words(text).slice(tokens).join(' ')
}

const system: ChatMessage = { role: 'system', content: 'you are Alice' }
const history: ChatMessage[] = [
  system,
  { role: 'user', content: 'one two three' },
  { role: 'assistant', content: 'four five' },
  { role: 'user', content: 'six seven eight nine' }
]

describe('trimMessagesToFit', () => {
  it('leaves a prompt that fits untouched and reports no trim', () => {
    expect(trimMessagesToFit(history, 100, tools)).toEqual({ messages: history, promptTokens: 20, trimmed: null })
  })

  it('drops the oldest non-system messages first, keeping the system prompt and the last message', () => {
    const result = trimMessagesToFit(history, 12, tools)
    expect(result.messages).toEqual([system, history[3]])
    expect(result.trimmed).toEqual({ removedMessages: 2, removedTokens: 9 })
    expect(result.promptTokens).toBe(11)
  })

  it('then cuts the oldest text of the last message', () => {
    const result = trimMessagesToFit(history, 8, tools)
    expect(result.messages).toEqual([system, { role: 'user', content: 'nine' }])
    expect(result.promptTokens).toBe(8)
    expect(result.trimmed).toEqual({ removedMessages: 2, removedTokens: 12 })
  })

  it('cuts the start of the system prompt when it is the longest message', () => {
    const persona: ChatMessage = { role: 'system', content: 'traits: kind curious stubborn loud. instructions: be brief' }
    const result = trimMessagesToFit([persona, { role: 'user', content: 'Alice posted:' }], 8, tools)
    expect(result.messages).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'Alice posted:' }
    ])
  })

  it('cuts messages down to nothing, longest first, before giving up', () => {
    const result = trimMessagesToFit(history, 5, tools)
    expect(result.messages).toEqual([{ role: 'system', content: 'Alice' }, { role: 'user', content: '' }])
    expect(result.promptTokens).toBe(5)
  })

  it('never gets stuck on a cut that does not shorten the text', () => {
    const stubborn: TrimTools = { ...tools, dropLeadingTokens: (text) => text }
    const result = trimMessagesToFit([system, { role: 'user', content: 'a b c d' }], 6, stubborn)
    expect(result.messages[1]).toEqual({ role: 'user', content: '' })
  })

  it('throws context-overflow when even the empty template does not fit (maxTokens too large)', () => {
    const attempt = () => trimMessagesToFit(history, 3, tools)
    expect(attempt).toThrow(BackendError)
    expect(attempt).toThrow(/lower maxTokens or raise contextSize/)
    try {
      attempt()
    } catch (error) {
      expect((error as BackendError).code).toBe('context-overflow')
    }
  })

  it('keeps cutting when a cut text tokenizes longer than expected', () => {
    // Dropping n words sometimes leaves one word too many (as real tokenizers do at a cut).
    const sloppy: TrimTools = { ...tools, dropLeadingTokens: (text, tokens) => words(text).slice(Math.max(0, tokens - 1)).join(' ') }
    const result = trimMessagesToFit([system, { role: 'user', content: 'a b c d e f g h' }], 7, sloppy)
    expect(result.promptTokens).toBeLessThanOrEqual(7)
  })
})
