import { newRecordId } from '../../components/recordIds.js'

/** A persona as the library page handles it: core's persona fields, loosely typed (the host checks them). */
export interface PersonaRecord {
  id: string
  username: string
  example?: boolean
  source?: unknown
  extra_attributes?: Record<string, unknown>
  [field: string]: unknown
}

/** One field to vary and the values it takes; `extra_attributes.<key>` varies an extra attribute. */
export interface VariedField {
  field: string
  values: readonly string[]
}

/** At most this many personas from one template, so a typo cannot flood the library. */
export const MAX_VARIATIONS = 500

/** The number of personas a set of varied fields makes: the product of their value counts. */
export function variationCount(fields: readonly VariedField[]): number {
  const used = fields.filter((field) => field.values.length > 0)
  return used.length === 0 ? 0 : used.reduce((count, field) => count * field.values.length, 1)
}

/** Every combination of the fields' values, the first field varying slowest. */
export function combinations(fields: readonly VariedField[]): Record<string, string>[] {
  let result: Record<string, string>[] = [{}]
  for (const { field, values } of fields) {
    if (values.length === 0) continue
    result = result.flatMap((partial) => values.map((value) => ({ ...partial, [field]: value })))
  }
  return fields.some((field) => field.values.length > 0) ? result : []
}

/** Numbers stay numbers for `age` (SDF v0 used integers), everything else is text. */
function fieldValue(field: string, value: string): unknown {
  if (field === 'age' && /^\d+$/.test(value.trim())) return Number(value.trim())
  if (field === 'personality_characteristics') return value.split(',').map((part) => part.trim()).filter((part) => part !== '')
  return value
}

/**
 * New personas from a template: one per combination of the varied fields' values, each a copy of
 * the template with those fields set. Usernames get a number (`Ada-1`, `Ada-2`…) because a
 * discussion tells its participants apart by username (unless username is itself varied); ids are fresh and never `example-`. The
 * copies are the user's own records: the example mark and the source are not copied.
 */
export function generateVariations(template: PersonaRecord, fields: readonly VariedField[], takenIds: Iterable<string>): PersonaRecord[] {
  const combos = combinations(fields)
  if (combos.length > MAX_VARIATIONS) {
    throw new RangeError(`${combos.length} combinations is more than ${MAX_VARIATIONS}; vary fewer fields or list fewer values`)
  }
  const taken = new Set(takenIds)
  const { example: _example, source: _source, id: _id, ...fieldsOfTemplate } = template
  return combos.map((combo, index) => {
    const persona: PersonaRecord = {
      ...structuredClone(fieldsOfTemplate),
      id: '',
      username: combos.length === 1 ? template.username : `${template.username}-${index + 1}`
    }
    for (const [field, value] of Object.entries(combo)) {
      if (field.startsWith('extra_attributes.')) {
        persona.extra_attributes = { ...(persona.extra_attributes ?? {}), [field.slice('extra_attributes.'.length)]: value }
      } else {
        persona[field] = fieldValue(field, value)
      }
    }
    persona.id = newRecordId(persona.username, taken, 'persona')
    taken.add(persona.id)
    return persona
  })
}
