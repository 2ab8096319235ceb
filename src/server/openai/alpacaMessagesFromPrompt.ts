import { renderAlpacaPrompt, type ChatMessage } from '../../core/index.js'

const SEPARATORS = ['\n\n', '</s>'] as const
const HEADER = /^### (Instruction|Response):/

/**
 * Messages that `renderAlpacaPrompt` turns back into exactly `prompt`, so that a raw prompt sent to
 * /v1/completions (the OpenAI backend's 'sdf-alpaca' path) is tokenized byte for byte as SDF's
 * would be. The turns are recovered where they round-trip, which keeps the backend's trimming
 * (oldest history first) working; any other prompt ending in a blank line becomes one system
 * message, which renders to the same text. Null when no messages render to `prompt`.
 */
export function alpacaMessagesFromPrompt(prompt: string): ChatMessage[] | null {
  const turns = parseTurns(prompt)
  if (turns !== null && renderAlpacaPrompt(turns) === prompt) return turns
  if (prompt.endsWith(SEPARATORS[0])) return [{ role: 'system', content: prompt.slice(0, -SEPARATORS[0].length) }]
  return null
}

/** Search steps before giving up: a prompt crafted to be ambiguous must not cost exponential time. */
const MAX_STEPS = 1_000

function parseTurns(prompt: string): ChatMessage[] | null {
  const budget = { steps: 0 }
  // The system text may itself contain a blank line and a header: try each place it could end.
  for (const match of prompt.matchAll(/\n\n(?=### (?:Instruction|Response):)/g)) {
    const turns = parseFrom(prompt.slice(match.index + SEPARATORS[0].length), 0, budget)
    if (turns !== null) {
      const system = prompt.slice(0, match.index)
      return system === '' ? turns : [{ role: 'system', content: system }, ...turns]
    }
    if (budget.steps > MAX_STEPS) return null
  }
  return null
}

/**
 * The turns in `rest`, trying each place the current turn could end (its separator followed by
 * the end or the next header), since the text of a turn may itself contain a separator and a header.
 */
function parseFrom(rest: string, turn: number, budget: { steps: number }): ChatMessage[] | null {
  if (rest === '') return []
  if (++budget.steps > MAX_STEPS) return null
  const header = HEADER.exec(rest)
  if (header === null) return null
  const role = header[1] === 'Instruction' ? 'user' : 'assistant'
  const afterHeader = rest.slice(header[0].length)
  // An empty turn renders as its bare header, with no separator.
  if (!afterHeader.startsWith(' ')) {
    const later = parseFrom(afterHeader, turn + 1, budget)
    return later === null ? null : [{ role, content: '' }, ...later]
  }
  const body = afterHeader.slice(1)
  const separator = SEPARATORS[turn % 2]!
  for (let index = body.indexOf(separator); index !== -1; index = body.indexOf(separator, index + 1)) {
    const after = body.slice(index + separator.length)
    if (after !== '' && !HEADER.test(after)) continue
    const later = parseFrom(after, turn + 1, budget)
    if (later !== null) return [{ role, content: body.slice(0, index) }, ...later]
    if (budget.steps > MAX_STEPS) return null
  }
  return null
}
