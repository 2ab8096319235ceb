import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { renderAlpacaPrompt, type ChatMessage } from '../../../../src/core/llm/index.js'
import { alpacaMessagesFromPrompt } from '../../../../src/server/openai/index.js'

describe('alpacaMessagesFromPrompt', () => {
  it("recovers SDF's system + user turn", () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'You are Alice, a stubborn teacher.' },
      { role: 'user', content: 'Conversation so far:\nUser Bob posted: hi\n\nUser Alice posted:' }
    ]
    expect(alpacaMessagesFromPrompt(renderAlpacaPrompt(messages))).toEqual(messages)
  })

  it('recovers alternating turns, with their </s> separators and empty turns', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'two' },
      { role: 'user', content: '' },
      { role: 'assistant', content: 'four' }
    ]
    expect(alpacaMessagesFromPrompt(renderAlpacaPrompt(messages))).toEqual(messages)
  })

  it('gives messages that render back to exactly the prompt, for any rendered prompt', () => {
    const message = fc.record({
      role: fc.constantFrom('system' as const, 'user' as const, 'assistant' as const),
      content: fc.oneof(fc.string(), fc.constantFrom('', '\n\n', '</s>', '### Instruction: x', 'a\n\n### Response: b'))
    })
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 6 }), (messages) => {
        const prompt = renderAlpacaPrompt(messages)
        const recovered = alpacaMessagesFromPrompt(prompt)
        expect(recovered).not.toBeNull()
        expect(renderAlpacaPrompt(recovered!)).toBe(prompt)
      })
    )
  })

  it('takes any other prompt that ends in a blank line as one system message', () => {
    expect(alpacaMessagesFromPrompt('Just some text.\n\n')).toEqual([{ role: 'system', content: 'Just some text.' }])
  })

  it('refuses a prompt no messages render to', () => {
    expect(alpacaMessagesFromPrompt('Once upon a time')).toBeNull()
  })
})
