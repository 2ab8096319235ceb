import { SDF_STOP_STRINGS } from '../discussion/prompts/sdfStrings.js'
import { sdfAnnotatorPrompt, sdfHistoryItem, sdfV0SystemPrompt } from '../discussion/prompts/sdfPrompts.js'
import type { ChatMessage, PromptFormat } from '../llm/backend.js'
import type { AnnotatorSpec, Discussion, Label, PersonaSnapshot } from '../schema/index.js'
import type { AnnotationTarget } from './annotationContext.js'

export interface AnnotatorPrompt {
  messages: ChatMessage[]
  promptFormat: PromptFormat
  stop: string[]
  /** The system prompt, recorded with every annotation. */
  system: string
}

/**
 * `sdf-legacy`: SDF v0's annotator prompt byte for byte (spec §2.4: empty name and context, the
 * wrapped history, "Output:"), sent as alpaca text with SDF's stop strings. `structured`: a plain
 * system prompt with the persona, the instructions and the labels, the transcript as the user
 * message; the answer format is enforced by the backend's JSON schema, not by the prompt.
 */
export function annotatorPrompt(
  spec: AnnotatorSpec,
  discussion: Discussion,
  target: AnnotationTarget,
  legacyAttributes: readonly string[] = []
): AnnotatorPrompt {
  if (spec.mode === 'sdf-legacy') {
    const system = sdfV0SystemPrompt({ name: '', attributes: [...legacyAttributes], context: '', instructions: spec.instructions })
    const user = sdfAnnotatorPrompt(target.window.map((comment) => sdfHistoryItem(comment.author, comment.raw_text)))
    return {
      system,
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: user }
      ],
      promptFormat: 'sdf-alpaca',
      stop: [...SDF_STOP_STRINGS]
    }
  }
  const system = [
    personaLine(spec.persona),
    spec.instructions.trim(),
    'Rate only the last comment of the conversation. Answer with JSON holding these fields:',
    ...spec.labels.map(describeLabel)
  ]
    .filter((line) => line !== '')
    .join('\n')
  const transcript = target.window
    .map((comment, i) => `${i === target.window.length - 1 ? '>>> ' : ''}${comment.author}: ${comment.text}`)
    .join('\n')
  const topic = spec.context.include_topic && discussion.context ? `Topic: ${discussion.context}\n\n` : ''
  return {
    system,
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: `${topic}Conversation (the comment to rate is marked >>>):\n${transcript}` }
    ],
    promptFormat: 'chat-template',
    stop: []
  }
}

function personaLine(persona: PersonaSnapshot | null): string {
  if (!persona) return ''
  const traits = Object.entries(persona)
    .filter(([key, value]) => key !== 'extra_attributes' && key !== 'username' && value !== undefined && value !== '')
    .map(([key, value]) => `${key.replaceAll('_', ' ')}: ${Array.isArray(value) ? value.join(', ') : String(value)}`)
  return traits.length > 0 ? `You are an annotator. About you: ${traits.join('; ')}.` : ''
}

function describeLabel(label: Label): string {
  const about = label.description ? ` (${label.description})` : ''
  switch (label.type) {
    case 'integer':
    case 'number':
      return `- ${label.name}: a ${label.type === 'integer' ? 'whole number' : 'number'} from ${label.min} to ${label.max}${about}`
    case 'category':
      return `- ${label.name}: one of ${label.options.map((option) => `"${option}"`).join(', ')}${about}`
    case 'boolean':
      return `- ${label.name}: true or false${about}`
    case 'text':
      return `- ${label.name}: a short text of at most ${label.max_length} characters${about}`
  }
}
