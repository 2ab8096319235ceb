import { SDF_PERSONA_FIELDS, type AttributeValue, type PersonaSnapshot } from '../../schema/index.js'

/** The persona fields the modern mode lists; the username and special instructions appear elsewhere. */
const LISTED_FIELDS = [...SDF_PERSONA_FIELDS.filter((f) => f !== 'username' && f !== 'special_instructions'), 'intent'] as const

function shown(value: AttributeValue | undefined): string | null {
  if (value === undefined || value === null) return null
  const text = Array.isArray(value) ? value.join(', ') : String(value)
  return text.trim() === '' ? null : text
}

/**
 * `label: value` for each attribute the persona actually has, in SDF's field order and then its
 * extra attributes: empty or missing fields are left out rather than shown as blanks, so a persona
 * that only sets two dimensions is described by exactly those two (SynDisco ≥2.1 behaviour).
 */
export function personaAttributeLines(persona: PersonaSnapshot): string[] {
  const lines: string[] = []
  for (const field of LISTED_FIELDS) {
    const value = shown(persona[field])
    if (value !== null) lines.push(`${field.replaceAll('_', ' ')}: ${value}`)
  }
  for (const [key, raw] of Object.entries(persona.extra_attributes)) {
    const value = shown(raw)
    if (value !== null) lines.push(`${key.replaceAll('_', ' ')}: ${value}`)
  }
  return lines
}
