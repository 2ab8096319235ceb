import { DiscussionSchema, IdSchema } from '../schema/index.js'
import type { Discussion, Participant } from '../schema/index.js'
import { personaFromPromptJson } from './readPersonas.js'
import { recoverPersona, splitAttributeText } from './recoverPersona.js'
import { splitLegacySystemPrompt } from './splitLegacySystemPrompt.js'
import { parseWithSchema } from './zodIssueToFormatError.js'
import { describeValue, fail } from './valueChecks.js'

export interface PromptedParticipant {
  participant: Participant
  /** The shared context the prompt was built with, when the prompt shows it. */
  context: string | null
}

/**
 * A participant with the persona its stored system prompt reveals. The prompt is kept verbatim; when
 * it cannot be read the participant keeps just its name, since an odd prompt must not reject a file.
 */
export function participantFromPrompt(username: string, role: Participant['role'], prompt: unknown): PromptedParticipant {
  const nameOnly = (systemPrompt: string | null): PromptedParticipant => ({
    participant: {
      username,
      role,
      persona: { username, extra_attributes: {} },
      persona_origin: 'name-only',
      system_prompt: systemPrompt
    },
    context: null
  })
  if (typeof prompt !== 'string') return nameOnly(null)
  const split = splitLegacySystemPrompt(prompt, username)
  if (!split) return nameOnly(prompt)
  if (split.form === 'json') {
    const persona = personaFromPromptJson(username, split.persona)
    if (!persona) return { ...nameOnly(prompt), context: split.context }
    return {
      participant: { username, role, persona, persona_origin: 'json-prompt', system_prompt: prompt },
      context: split.context
    }
  }
  const recovered = recoverPersona(username, splitAttributeText(split.attributesText))
  return {
    participant: { username, role, persona: recovered.persona, persona_origin: recovered.origin, system_prompt: prompt },
    context: split.context
  }
}

/** The context every prompt agrees on, or null when they differ or none shows one. */
export function commonContext(contexts: readonly (string | null)[]): string | null {
  const known = contexts.filter((context): context is string => context !== null)
  const [first] = known
  return first !== undefined && known.every((context) => context === first) ? first : null
}

/** Checks the id first (its message is clearer than the schema's), then the whole discussion. */
export function validateDiscussion(draft: Record<string, unknown>): Omit<Discussion, 'source'> {
  if (draft.id === undefined || draft.id === null) fail('id', 'missing: a discussion needs an id')
  if (typeof draft.id !== 'string') fail('id', `expected a string, got ${describeValue(draft.id)}`)
  const id = IdSchema.safeParse(draft.id)
  if (!id.success) {
    fail('id', `"${String(draft.id)}" is not a usable discussion id: ${id.error.issues[0]?.message ?? 'invalid'}`)
  }
  const { source: _source, ...discussion } = parseWithSchema(DiscussionSchema, draft)
  return discussion
}
