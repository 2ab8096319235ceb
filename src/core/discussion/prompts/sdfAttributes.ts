import { z } from 'zod'
import { SDF_PERSONA_FIELDS, type PersonaSnapshot } from '../../schema/index.js'
import { pythonStr } from './pythonStr.js'

/**
 * SDF's attribute-list renderings, which changed four times in a month (spec §1.1):
 * - `years-old-intent` (≤ fd8e3ee, v-1 personas): `29 years old`, orientation, group, job, traits…,
 *   sex word, `with X education`, `and Troll intent`;
 * - `years-old-instructions` (fd8e3ee → 8ad82ac): the same, ending `with X education.` and the special
 *   instructions;
 * - `field-value-sex-word` (8ad82ac → 4e0ddf1, i.e. `ddf44cf`, SDF Studio's default): one
 *   `field: value` per dataclass field with Python `str()` values, then the sex word;
 * - `field-value` (4e0ddf1 → 2025): the same without the sex word.
 */
export const AttributeStyleSchema = z.enum([
  'years-old-intent',
  'years-old-instructions',
  'field-value-sex-word',
  'field-value'
])
export type AttributeStyle = z.infer<typeof AttributeStyleSchema>

/** SDF's `_sex_parse`: male → man, female → woman, anything else → non-binary (ignoring case). */
export function sdfSexWord(sex: string): string {
  const lower = sex.toLowerCase()
  return lower === 'male' ? 'man' : lower === 'female' ? 'woman' : 'non-binary'
}

/**
 * A persona as SDF's attribute list. SDF crashed on a missing field; here a field the persona lacks is
 * simply left out (and no sex word is made up without a `sex`). Attributes outside SDF's dataclass
 * are left out too, as SDF's loader dropped unknown keys.
 */
export function renderSdfAttributes(persona: PersonaSnapshot, style: AttributeStyle): string[] {
  const sexWord = persona.sex === undefined ? [] : [sdfSexWord(persona.sex)]
  if (style === 'field-value' || style === 'field-value-sex-word') {
    const fields = SDF_PERSONA_FIELDS.flatMap((field) => {
      const value = persona[field]
      return value === undefined ? [] : [`${field}: ${pythonStr(value)}`]
    })
    return style === 'field-value-sex-word' ? [...fields, ...sexWord] : fields
  }
  const present = (value: string | number | undefined, render: (text: string) => string): string[] =>
    value === undefined ? [] : [render(pythonStr(value))]
  const head = [
    ...present(persona.age, (age) => `${age} years old`),
    ...present(persona.sexual_orientation, (text) => text),
    ...present(persona.demographic_group, (text) => text),
    ...present(persona.current_employment, (text) => text),
    ...(persona.personality_characteristics ?? []),
    ...sexWord
  ]
  if (style === 'years-old-intent') {
    return [
      ...head,
      ...present(persona.education_level, (level) => `with ${level} education`),
      ...present(persona.intent, (intent) => `and ${intent} intent`)
    ]
  }
  return [
    ...head,
    ...present(persona.education_level, (level) => `with ${level} education.`),
    ...present(persona.special_instructions, (text) => text)
  ]
}
