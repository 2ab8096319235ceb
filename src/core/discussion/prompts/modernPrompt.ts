import type { ChatMessage } from '../../llm/backend.js'
import type { HistoryEntry } from './historyEntry.js'
import { personaAttributeLines } from './personaAttributeLines.js'
import type { PromptInput } from './promptInput.js'
import { isPythonBlank } from './pythonWhitespace.js'

/**
 * SDF Studio's own prompt, for the model's chat template. Design choices, against SDF's weak points
 * (spec §6 items 13–14):
 * - the persona is a labelled list of only the attributes it has, not a comma-joined Python repr;
 * - the persona's special instructions join the general instructions, where they belong;
 * - history comments keep their own line breaks and are never hard-wrapped, so models do not learn
 *   to wrap at 70 columns; silent (blank) comments are left out;
 * - the closing line asks for the comment text only, which the cleaning pipeline then relies on.
 *
 * `transcript` puts the history in one user message as `name: text` lines. `turns` gives each comment
 * its own message — the speaker's own as `assistant`, the others as `user` (`name: text`), merged when
 * consecutive so roles alternate as strict chat templates require — which lets backends reuse the
 * speaker's cached prefix from one turn to the next.
 */
export type ModernHistoryStyle = 'transcript' | 'turns'

export function modernSystemPrompt(input: PromptInput): string {
  const role =
    input.role === 'moderator' ? 'the moderator of an online discussion' : 'taking part in an online discussion'
  const sections = [`You are ${input.name}, ${role}.`]
  const attributes = input.persona ? personaAttributeLines(input.persona) : [...(input.attributes ?? [])]
  if (attributes.length > 0) sections.push(`About you:\n${attributes.map((line) => `- ${line}`).join('\n')}`)
  if (input.context.trim() !== '') sections.push(`Context: ${input.context.trim()}`)
  const instructions = [input.instructions.trim(), input.persona?.special_instructions?.trim() ?? ''].filter(
    (text) => text !== ''
  )
  if (instructions.length > 0) sections.push(`Your instructions:\n${instructions.join('\n')}`)
  if (input.topic && input.topic.trim() !== '') sections.push(`The discussion is about this post:\n${input.topic.trim()}`)
  return sections.join('\n\n')
}

function transcriptLine(entry: HistoryEntry): string {
  return `${entry.author}: ${entry.text.trim()}`
}

function closingLine(name: string, first: boolean): string {
  return `${first ? 'Write the first comment' : 'Write your next comment'} as ${name}. Reply with the text of your comment only.`
}

export function modernPromptMessages(input: PromptInput, style: ModernHistoryStyle): ChatMessage[] {
  const system: ChatMessage = { role: 'system', content: modernSystemPrompt(input) }
  const history = input.history.filter((entry) => !isPythonBlank(entry.text))
  const closing = closingLine(input.name, history.length === 0)
  if (style === 'transcript' || history.length === 0) {
    const body =
      history.length === 0
        ? `No one has commented yet.\n\n${closing}`
        : `The discussion so far:\n\n${history.map(transcriptLine).join('\n')}\n\n${closing}`
    return [system, { role: 'user', content: body }]
  }
  const turns: ChatMessage[] = []
  for (const entry of history) {
    const own = entry.author === input.name
    const message: ChatMessage = own
      ? { role: 'assistant', content: entry.text.trim() }
      : { role: 'user', content: transcriptLine(entry) }
    const previous = turns[turns.length - 1]
    if (previous && previous.role === message.role) previous.content += `\n\n${message.content}`
    else turns.push(message)
  }
  // A conversation may not open with the assistant in most templates.
  if (turns[0]?.role === 'assistant') turns.unshift({ role: 'user', content: 'The discussion so far:' })
  const last = turns[turns.length - 1] as ChatMessage
  if (last.role === 'user') last.content += `\n\n${closing}`
  else turns.push({ role: 'user', content: closing })
  return [system, ...turns]
}
