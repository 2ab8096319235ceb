import { z } from 'zod'
import type { PersonaRecord } from './personaVariations.js'

/** The persona fields SDF knew, besides the username, as the form shows them (spec §1.1). */
export const PERSONA_TEXT_FIELDS = [
  { name: 'sex', label: 'Sex' },
  { name: 'sexual_orientation', label: 'Sexual orientation' },
  { name: 'demographic_group', label: 'Demographic group' },
  { name: 'current_employment', label: 'Current employment' },
  { name: 'education_level', label: 'Education level' },
  { name: 'intent', label: 'Intent (SDF v-1)' }
] as const

const ATTRIBUTE_KEY = /^[A-Za-z_][A-Za-z0-9_ -]{0,63}$/

/**
 * What the persona form edits, all text so the inputs stay simple. Core's schema checks the record
 * again on the host; these rules catch what a person is likely to get wrong before it is sent.
 */
export const PersonaFormSchema = z
  .object({
    username: z.string().trim().min(1, 'Give the persona a username: participants are told apart by it'),
    age: z
      .string()
      .trim()
      .refine(
        (age) => age === '' || !/^\d+$/.test(age) || Number(age) <= 130,
        'An age in years must be between 0 and 130'
      )
      .refine((age) => age === '' || /^\d+$/.test(age) || /\d/.test(age), 'Write an age in years (34) or a bracket (18-24, 65+)'),
    sex: z.string(),
    sexual_orientation: z.string(),
    demographic_group: z.string(),
    current_employment: z.string(),
    education_level: z.string(),
    intent: z.string(),
    special_instructions: z.string(),
    personality_characteristics: z.array(z.string()),
    extra_attributes: z.array(z.object({ key: z.string().trim(), value: z.string() }))
  })
  .superRefine((values, ctx) => {
    const seen = new Set<string>()
    values.extra_attributes.forEach((attribute, index) => {
      if (!ATTRIBUTE_KEY.test(attribute.key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['extra_attributes', index, 'key'],
          message: 'Name the attribute: a letter or "_" first, then letters, digits, spaces, "_" or "-"'
        })
      } else if (seen.has(attribute.key)) {
        ctx.addIssue({ code: 'custom', path: ['extra_attributes', index, 'key'], message: `"${attribute.key}" is already used above` })
      }
      seen.add(attribute.key)
    })
  })

export type PersonaFormValues = z.infer<typeof PersonaFormSchema>

const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '')

/** A stored persona as form values; an empty form when there is none. */
export function personaToForm(persona: PersonaRecord | null): PersonaFormValues {
  const extras = persona?.extra_attributes ?? {}
  return {
    username: text(persona?.username),
    age: text(persona?.['age']),
    sex: text(persona?.['sex']),
    sexual_orientation: text(persona?.['sexual_orientation']),
    demographic_group: text(persona?.['demographic_group']),
    current_employment: text(persona?.['current_employment']),
    education_level: text(persona?.['education_level']),
    intent: text(persona?.['intent']),
    special_instructions: text(persona?.['special_instructions']),
    personality_characteristics: Array.isArray(persona?.['personality_characteristics'])
      ? (persona['personality_characteristics'] as unknown[]).map(text)
      : [],
    extra_attributes: Object.entries(extras).map(([key, value]) => ({
      key,
      value: Array.isArray(value) ? value.join(', ') : value === null ? '' : String(value)
    }))
  }
}

const OPTIONAL_TEXT = ['sex', 'sexual_orientation', 'demographic_group', 'current_employment', 'education_level', 'intent', 'special_instructions'] as const

/**
 * Form values as the record to store: empty fields are left out (core's fields are optional), an
 * age in whole years is a number as SDF v0 wrote it, fields the form does not show (role hint,
 * source, example mark) are kept from the original.
 */
export function formToPersona(values: PersonaFormValues, id: string, original: PersonaRecord | null): PersonaRecord {
  const record: PersonaRecord = { ...(original ?? {}), id, username: values.username.trim() }
  const age = values.age.trim()
  if (age === '') delete record['age']
  else record['age'] = /^\d+$/.test(age) ? Number(age) : age
  for (const field of OPTIONAL_TEXT) {
    const value = values[field]
    if (value.trim() === '') delete record[field]
    else record[field] = value
  }
  const traits = values.personality_characteristics.map((trait) => trait.trim()).filter((trait) => trait !== '')
  if (traits.length === 0) delete record['personality_characteristics']
  else record['personality_characteristics'] = traits
  const originalExtras = original?.extra_attributes ?? {}
  record.extra_attributes = Object.fromEntries(
    values.extra_attributes.map(({ key, value }) => {
      const before = originalExtras[key.trim()]
      // Unchanged values keep their type (numbers, booleans, lists); edited ones are text.
      const unchanged = before !== undefined && personaToForm({ id, username: '', extra_attributes: { k: before } }).extra_attributes[0]?.value === value
      return [key.trim(), unchanged ? before : value]
    })
  )
  return record
}

/** Maps a host issue path on the record (`extra_attributes.x`) to the form's field, or null. */
export function personaFieldOf(path: (string | number)[], values: PersonaFormValues): string | null {
  const [head, second] = path
  if (typeof head !== 'string') return null
  if (head === 'extra_attributes' && typeof second === 'string') {
    const index = values.extra_attributes.findIndex((attribute) => attribute.key === second)
    return index < 0 ? null : `extra_attributes.${index}.value`
  }
  if (head === 'personality_characteristics') return head
  return head in values ? head : null
}
