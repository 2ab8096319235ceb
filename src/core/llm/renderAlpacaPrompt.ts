import type { ChatMessage } from './backend.js'

const ROLE_HEADERS = { user: '### Instruction', assistant: '### Response' } as const
const SEPARATORS = ['\n\n', '</s>'] as const

/**
 * The raw prompt text SDF v0 sent, a port of llama-cpp-python's `format_alpaca` (spec §2.5): only
 * the first system message is used; user and assistant turns become `### Instruction: …` /
 * `### Response: …`; separators alternate by turn index (`\n\n`, then `</s>`), not by role; an
 * empty turn renders as its bare header; and no `### Response:` cue is added at the end. The quirks
 * are kept on purpose: replication studies need the exact bytes.
 *
 * For SDF's `[system, user]` this is `"{system}\n\n### Instruction: {user}\n\n"`.
 */
export function renderAlpacaPrompt(messages: readonly ChatMessage[]): string {
  const system = messages.find((message) => message.role === 'system')?.content ?? ''
  let prompt = system + SEPARATORS[0]
  let turn = 0
  for (const message of messages) {
    if (message.role === 'system') continue
    const header = ROLE_HEADERS[message.role]
    prompt += message.content ? `${header}: ${message.content}${SEPARATORS[turn % 2]}` : `${header}:`
    turn++
  }
  return prompt
}
