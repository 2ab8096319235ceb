import type { ChatMessage } from '../backend.js'

/**
 * What a server without schema-constrained decoding is told instead. `json_object` mode needs it
 * too: it only promises *some* JSON object (and OpenAI refuses it unless the prompt says "JSON").
 */
export function jsonOutputInstruction(schema: Record<string, unknown>): string {
  return (
    'Answer with one JSON value that follows this JSON schema, and nothing else: no explanation, no code fence.\n' +
    `JSON schema: ${JSON.stringify(schema)}`
  )
}

/** The messages with the instruction added to the last user turn (or as a new one), where a model heeds it most. */
export function withJsonInstruction(messages: readonly ChatMessage[], schema: Record<string, unknown>): ChatMessage[] {
  const instruction = jsonOutputInstruction(schema)
  const last = messages.at(-1)
  if (last?.role === 'user') return [...messages.slice(0, -1), { role: 'user', content: `${last.content}\n\n${instruction}` }]
  return [...messages, { role: 'user', content: instruction }]
}

/** Models asked in words often wrap the JSON in a Markdown fence anyway; the fence is not part of the value. */
export function stripCodeFence(text: string): string {
  const trimmed = text.trim()
  const fenced = /^```[A-Za-z]*[ \t]*\r?\n([\s\S]*?)\r?\n?```$/.exec(trimmed)
  return fenced ? fenced[1]!.trim() : trimmed
}
