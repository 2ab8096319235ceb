import type { AttributeValue, PersonaSnapshot } from '../schema/index.js'

/** The key order of SDF's own persona files (e.g. `personas/troll_1.json`); v-1's `intent` took the instructions' place. */
const FILE_ORDER = [
  'username',
  'age',
  'sex',
  'education_level',
  'sexual_orientation',
  'demographic_group',
  'current_employment',
  'special_instructions',
  'intent',
  'personality_characteristics'
] as const

export type SdfPersonaJson = Record<string, AttributeValue>

/**
 * A persona as an SDF/SynDisco persona object: known fields in SDF's order, then the extra
 * attributes flat beside them (SynDisco ≥2.1 passes every key to the prompt). Absent fields stay
 * absent rather than taking SynDisco 2.0's defaults, so nothing is invented.
 */
export function toSdfPersona(persona: PersonaSnapshot): SdfPersonaJson {
  const out: SdfPersonaJson = {}
  const define = (key: string, value: AttributeValue): void => {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
  }
  for (const key of FILE_ORDER) {
    const value = persona[key]
    if (value !== undefined) define(key, Array.isArray(value) ? [...value] : value)
  }
  for (const [key, value] of Object.entries(persona.extra_attributes)) {
    if (!Object.prototype.hasOwnProperty.call(out, key)) define(key, Array.isArray(value) ? [...value] : value)
  }
  return out
}
