import { SDF_PERSONA_FIELDS, type AttributeValue, type PersonaSnapshot } from '../schema/index.js'
import { parsePythonStringList } from './pythonLiterals.js'
import { setOwn } from './valueChecks.js'

/**
 * SDF v0 kept no persona objects in its outputs, only the attribute strings it rendered into prompts.
 * Their style changed four times in a month (spec §1.1), so recovery tries each known style and
 * settles for the bare username rather than guessing.
 */

export interface RecoveredPersona {
  persona: PersonaSnapshot
  origin: 'recovered-from-prompt' | 'name-only'
}

const FIELD_NAMES = [...SDF_PERSONA_FIELDS, 'intent'] as const
type FieldName = (typeof FIELD_NAMES)[number]

const SEX_FROM_WORD: Record<string, string> = { man: 'male', woman: 'female', 'non-binary': 'non-binary' }
const FIELD_ATTRIBUTE = /^([A-Za-z_][A-Za-z0-9_]*): ?([\s\S]*)$/
const KNOWN_FIELD_SPLIT = new RegExp(`, (?=(?:${FIELD_NAMES.join('|')}): )`)
const KNOWN_FIELD_START = new RegExp(`^(?:${FIELD_NAMES.join('|')}): `)
const TRAILING_SEX_WORD = /^([\s\S]*), (man|woman|non-binary)$/

function isFieldName(key: string): key is FieldName {
  return (FIELD_NAMES as readonly string[]).includes(key)
}

function sexWord(item: string | undefined): string | undefined {
  return item === undefined ? undefined : SEX_FROM_WORD[item]
}

/** Python `str(29)` is `29`; a bucket such as `18-24` stays a string. */
function ageValue(text: string): number | string {
  return /^-?\d+(?:\.\d+)?$/.test(text) ? Number(text) : text
}

type Fields = Partial<Record<Exclude<FieldName, 'personality_characteristics' | 'age'>, string>> & {
  age?: number | string
  personality_characteristics?: string[]
  extra_attributes: Record<string, AttributeValue>
}

/** `field: value` attributes (Nov 20 2024 onwards), with or without the trailing sex word. */
function fromFieldStyle(attributes: readonly string[]): Fields {
  const fields: Fields = { extra_attributes: {} }
  let trailingSex: string | undefined
  attributes.forEach((attribute, position) => {
    const match = FIELD_ATTRIBUTE.exec(attribute)
    if (!match) {
      if (position === attributes.length - 1) trailingSex = sexWord(attribute)
      return
    }
    const key = match[1] as string
    const value = match[2] as string
    if (!isFieldName(key)) {
      setOwn(fields.extra_attributes, key, value)
    } else if (key === 'age') {
      fields.age = ageValue(value)
    } else if (key === 'personality_characteristics') {
      const list = parsePythonStringList(value)
      if (list) fields.personality_characteristics = list
      else setOwn(fields.extra_attributes, key, value)
    } else {
      fields[key] = value
    }
  })
  if (fields.sex === undefined && trailingSex !== undefined) fields.sex = trailingSex
  return fields
}

/**
 * The positional styles before Nov 20 2024: `"32 years old", orientation, group, job, traits…,
 * sex word, "with X education"` and then `"and Y intent"` (v-1) or, after `"with X education."`,
 * the special instructions (Nov 9–20), which may themselves contain ", ".
 */
function fromPositionalStyle(attributes: readonly string[]): Fields | null {
  const age = /^(.+?) years old$/.exec(attributes[0] ?? '')
  if (!age) return null
  let educationAt = -1
  for (let i = 5; i < attributes.length; i += 1) {
    if (/^with [\s\S]* education\.?$/.test(attributes[i] as string) && sexWord(attributes[i - 1])) {
      educationAt = i
      break
    }
  }
  if (educationAt < 0) return null
  const education = /^with ([\s\S]*) education(\.?)$/.exec(attributes[educationAt] as string)
  if (!education) return null
  const fields: Fields = {
    extra_attributes: {},
    age: ageValue(age[1] as string),
    sexual_orientation: attributes[1] as string,
    demographic_group: attributes[2] as string,
    current_employment: attributes[3] as string,
    personality_characteristics: attributes.slice(4, educationAt - 1),
    sex: sexWord(attributes[educationAt - 1]) as string,
    education_level: education[1] as string
  }
  const rest = attributes.slice(educationAt + 1)
  const intent = rest.length === 1 ? /^and ([\s\S]*) intent$/.exec(rest[0] as string) : null
  if (education[2] !== '.' && intent) fields.intent = intent[1] as string
  else if (education[2] === '.' || rest.length > 0) fields.special_instructions = rest.join(', ')
  return fields
}

/**
 * Rebuilds a persona from SDF's rendered attribute list (an `LLMConvData.user_attributes` entry or a
 * prompt's attribute text split by `splitAttributeText`). A blank `username` falls back to a
 * `username:` attribute, then to `fallbackUsername`.
 */
export function recoverPersona(
  username: string,
  attributes: readonly string[],
  fallbackUsername = 'unknown'
): RecoveredPersona {
  const fieldStyle = attributes.some((attribute) => {
    const match = FIELD_ATTRIBUTE.exec(attribute)
    return match !== null && isFieldName(match[1] as string)
  })
  const fields = fieldStyle ? fromFieldStyle(attributes) : fromPositionalStyle(attributes)
  const named = username.trim() !== '' ? username : fields?.username?.trim() ? fields.username : fallbackUsername
  if (!fields) return { persona: { username: named, extra_attributes: {} }, origin: 'name-only' }
  const { username: _fromAttributes, extra_attributes, ...rest } = fields
  const recovered = Object.keys(rest).length > 0 || Object.keys(extra_attributes).length > 0
  return {
    persona: { username: named, ...rest, extra_attributes },
    origin: recovered ? 'recovered-from-prompt' : 'name-only'
  }
}

/**
 * Splits the attribute text of a legacy prompt (the part between the name and `. Context:` or
 * between `Your traits:` and `Your instructions:`) back into SDF's attribute list. The `field: value`
 * style is split only before known field names, because values such as special instructions and
 * Python list reprs contain ", " themselves.
 */
export function splitAttributeText(text: string): string[] {
  if (text === '') return []
  const fieldStyle = KNOWN_FIELD_START.test(text) || KNOWN_FIELD_SPLIT.test(text)
  if (!fieldStyle) return text.split(', ')
  const pieces = text.split(KNOWN_FIELD_SPLIT)
  const last = pieces[pieces.length - 1] as string
  const trailing = TRAILING_SEX_WORD.exec(last)
  const hasSexField = pieces.some((piece) => piece.startsWith('sex: '))
  if (trailing && (last.startsWith('personality_characteristics: ') || hasSexField)) {
    pieces.splice(pieces.length - 1, 1, trailing[1] as string, trailing[2] as string)
  }
  return pieces
}
