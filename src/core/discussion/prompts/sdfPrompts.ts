import { pythonTextwrapFill } from './pythonTextwrap.js'
import { isPythonBlank } from './pythonWhitespace.js'
import { SDF_V0_CONTEXT_PREFIX, SDF_WRAP_WIDTH } from './sdfStrings.js'

/** SDF's system prompt parts; `attributes` are the rendered strings, joined with ", ". */
export interface SdfSystemPromptParts {
  name: string
  attributes: readonly string[]
  context: string
  instructions: string
}

/** v0 context: the prefix, then ` '<topic>'` with the topic verbatim (trailing newline and all). */
export function sdfV0Context(topic: string): string {
  return `${SDF_V0_CONTEXT_PREFIX} '${topic}'`
}

/** v0 (`LlmActor._system_prompt`), the same for users, the moderator and annotators (name ""). */
export function sdfV0SystemPrompt(parts: SdfSystemPromptParts): string {
  return `You are ${parts.name} ${parts.attributes.join(', ')}. Context: ${parts.context}. Your instructions: ${parts.instructions}.`
}

/** v0.1 / v0.2: no trailing period, and the markers EXP's CSV parser relied on. */
export function sdfV01SystemPrompt(parts: SdfSystemPromptParts): string {
  return `${parts.context} Your name is ${parts.name}. Your traits: ${parts.attributes.join(', ')} Your instructions: ${parts.instructions}`
}

/** `format_chat_message`: the header and the 70-column wrapped text; a blank text gives "". */
export function sdfHistoryItem(name: string, text: string): string {
  return isPythonBlank(text) ? '' : `User ${name} posted:\n${pythonTextwrapFill(text, SDF_WRAP_WIDTH)}`
}

/** `LLMUser._message_prompt`: for the first turn (no history) this is `"\nUser {name} posted:"`. */
export function sdfUserPrompt(historyItems: readonly string[], name: string): string {
  return `${historyItems.join('\n')}\nUser ${name} posted:`
}

/** `LLMAnnotator._message_prompt`. */
export function sdfAnnotatorPrompt(historyItems: readonly string[]): string {
  return `Conversation so far:\n\n${historyItems.join('\n')}\nOutput:`
}
