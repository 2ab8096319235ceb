import { describe, expect, it } from 'vitest'
import { renderAlpacaPrompt } from '../../../src/core/llm/index.js'

describe('renderAlpacaPrompt (llama-cpp-python format_alpaca, spec §2.5)', () => {
  it("renders SDF's [system, user] call with no response cue", () => {
    expect(
      renderAlpacaPrompt([
        { role: 'system', content: 'You are a human participating in an online chatroom.' },
        { role: 'user', content: 'User Alice posted: hi\nUser Bob posted:' }
      ])
    ).toBe('You are a human participating in an online chatroom.\n\n### Instruction: User Alice posted: hi\nUser Bob posted:\n\n')
  })

  it('keeps content verbatim: no trimming, leading spaces and trailing newlines survive', () => {
    expect(renderAlpacaPrompt([{ role: 'system', content: '' }, { role: 'user', content: ' topic\n' }])).toBe('\n\n### Instruction:  topic\n\n\n')
  })

  it('alternates the separators by turn index, "\\n\\n" then "</s>", whatever the role', () => {
    expect(
      renderAlpacaPrompt([
        { role: 'system', content: 'S' },
        { role: 'user', content: 'u1' },
        { role: 'assistant', content: 'a1' },
        { role: 'user', content: 'u2' }
      ])
    ).toBe('S\n\n### Instruction: u1\n\n### Response: a1</s>### Instruction: u2\n\n')
  })

  it('uses only the first system message, and renders an empty turn as its bare header', () => {
    expect(
      renderAlpacaPrompt([
        { role: 'system', content: 'first' },
        { role: 'system', content: 'second' },
        { role: 'user', content: '' }
      ])
    ).toBe('first\n\n### Instruction:')
  })

  it('without a system message starts with the separator', () => {
    expect(renderAlpacaPrompt([{ role: 'user', content: 'hi' }])).toBe('\n\n### Instruction: hi\n\n')
  })
})
