import { isRecord } from './valueChecks.js'

/**
 * The parts of a system prompt as SDF or SynDisco stored it in `user_prompts`, `moderator_prompt`,
 * `annotator_prompt` or a 2.1 log entry's `prompt` (spec §2.4).
 */
export type SplitSystemPrompt =
  | {
      /** v0: `You are {name} {attrs}. Context: {context}. Your instructions: {instructions}.` */
      form: 'sdf-v0' | 'sdf-v0.1'
      name: string
      attributesText: string
      context: string
      instructions: string
    }
  | {
      /** syndisco ≥2.0: `json.dumps({"context", "instructions", "type", "persona"})`. */
      form: 'json'
      context: string | null
      instructions: string | null
      /** `"1"`/`"2"` (2.0 ActorType) or `"user"`/`"annotator"` (2.1). */
      type: string | null
      persona: unknown
    }

const V0_PREFIX = 'You are '
const V0_CONTEXT = '. Context: '
const V0_INSTRUCTIONS = '. Your instructions: '
const V01_NAME = ' Your name is '
const V01_TRAITS = '. Your traits: '
const V01_INSTRUCTIONS = ' Your instructions: '

function splitJson(prompt: string): SplitSystemPrompt | null {
  if (!prompt.trimStart().startsWith('{')) return null
  let value: unknown
  try {
    value = JSON.parse(prompt)
  } catch {
    return null
  }
  if (!isRecord(value) || !('persona' in value || 'context' in value || 'instructions' in value)) return null
  const text = (v: unknown): string | null => (typeof v === 'string' ? v : null)
  const type = typeof value.type === 'number' ? String(value.type) : text(value.type)
  return { form: 'json', context: text(value.context), instructions: text(value.instructions), type, persona: value.persona }
}

function splitV0(prompt: string, knownName: string | undefined): SplitSystemPrompt | null {
  if (!prompt.startsWith(V0_PREFIX)) return null
  const rest = prompt.slice(V0_PREFIX.length)
  const contextAt = rest.indexOf(V0_CONTEXT)
  if (contextAt < 0) return null
  const head = rest.slice(0, contextAt)
  const tail = rest.slice(contextAt + V0_CONTEXT.length)
  const instructionsAt = tail.indexOf(V0_INSTRUCTIONS)
  if (instructionsAt < 0) return null
  let name: string
  let attributesText: string
  if (knownName !== undefined && knownName !== '' && (head === knownName || head.startsWith(`${knownName} `))) {
    name = knownName
    attributesText = head.slice(knownName.length + 1)
  } else {
    // Annotators had an empty name, hence `You are  attrs` with two spaces.
    const space = head.indexOf(' ')
    name = space < 0 ? head : head.slice(0, space)
    attributesText = space < 0 ? '' : head.slice(space + 1)
  }
  const instructions = tail.slice(instructionsAt + V0_INSTRUCTIONS.length)
  return {
    form: 'sdf-v0',
    name,
    attributesText,
    context: tail.slice(0, instructionsAt),
    instructions: instructions.endsWith('.') ? instructions.slice(0, -1) : instructions
  }
}

function splitV01(prompt: string, knownName: string | undefined): SplitSystemPrompt | null {
  let nameAt = -1
  let traitsAt = -1
  if (knownName !== undefined && knownName !== '') {
    nameAt = prompt.indexOf(`${V01_NAME}${knownName}${V01_TRAITS}`)
    if (nameAt >= 0) traitsAt = nameAt + V01_NAME.length + knownName.length
  }
  if (nameAt < 0) {
    nameAt = prompt.indexOf(V01_NAME)
    if (nameAt < 0) return null
    traitsAt = prompt.indexOf(V01_TRAITS, nameAt + V01_NAME.length)
  }
  if (traitsAt < 0) return null
  const attributesAt = traitsAt + V01_TRAITS.length
  // With no attributes the two markers touch (`Your traits:  Your instructions:`), so search from here.
  const instructionsAt = prompt.indexOf(V01_INSTRUCTIONS, attributesAt)
  if (instructionsAt < 0) return null
  return {
    form: 'sdf-v0.1',
    name: prompt.slice(nameAt + V01_NAME.length, traitsAt),
    attributesText: prompt.slice(attributesAt, instructionsAt),
    context: prompt.slice(0, nameAt),
    instructions: prompt.slice(instructionsAt + V01_INSTRUCTIONS.length)
  }
}

/**
 * Splits a stored system prompt into its parts, or returns null for text in none of the known
 * forms. `knownName` (the speaker's username, when the file lists it) resolves names that contain
 * spaces or look like attributes.
 */
export function splitLegacySystemPrompt(prompt: string, knownName?: string): SplitSystemPrompt | null {
  const json = splitJson(prompt)
  if (json) return json
  const v0 = splitV0(prompt, knownName)
  const v01 = splitV01(prompt, knownName)
  if (v0 && v01) {
    // Both shapes can appear by accident inside free text; the form whose markers come first wins.
    return prompt.indexOf(V0_CONTEXT) < prompt.indexOf(V01_NAME) ? v0 : v01
  }
  return v0 ?? v01
}
