import { PersonaSnapshotSchema, SDF_PERSONA_FIELDS } from '../schema/index.js'
import type { AttributeValue, PersonaSnapshot, SourceFormat } from '../schema/index.js'
import type { ParsedSource, PersonaDraft } from './parsedSource.js'
import { parsePythonStringList } from './pythonLiterals.js'
import { parseWithSchema } from './zodIssueToFormatError.js'
import {
  childField,
  describeValue,
  fail,
  folderNames,
  isRecord,
  itemField,
  ReadError,
  setOwn,
  type JsonRecord
} from './valueChecks.js'

type PersonaFormat = Extract<
  SourceFormat,
  'sdf-v-1-persona' | 'sdf-v0-persona' | 'syndisco-2.0-persona' | 'syndisco-2.1-persona'
>

const V0_FIELDS = SDF_PERSONA_FIELDS
const STRING_FIELDS = [
  'sex',
  'sexual_orientation',
  'demographic_group',
  'current_employment',
  'education_level',
  'special_instructions',
  'intent'
] as const
const KNOWN_FIELDS: readonly string[] = [...V0_FIELDS, 'intent']

/** Keys that mark a JSON object as a persona when nothing else claims it. */
export function looksLikePersona(value: JsonRecord): boolean {
  return Object.keys(value).some((key) => KNOWN_FIELDS.includes(key))
}

/** Which generation of persona file an object belongs to (spec §1.1). */
export function classifyPersona(value: JsonRecord): PersonaFormat {
  const keys = Object.keys(value)
  if ('intent' in value && !('special_instructions' in value)) return 'sdf-v-1-persona'
  if (keys.some((key) => !KNOWN_FIELDS.includes(key))) return 'syndisco-2.1-persona'
  if (V0_FIELDS.every((key) => key in value)) {
    return typeof value.age === 'number' && Array.isArray(value.personality_characteristics)
      ? 'sdf-v0-persona'
      : 'syndisco-2.0-persona'
  }
  // 2.0 personas had defaults for every field; 2.1's are string dicts holding only the dimensions used.
  return Object.values(value).every((v) => typeof v === 'string') ? 'syndisco-2.1-persona' : 'syndisco-2.0-persona'
}

const FORMAT_RANK: Record<PersonaFormat, number> = {
  'sdf-v-1-persona': 0,
  'sdf-v0-persona': 0,
  'syndisco-2.0-persona': 1,
  'syndisco-2.1-persona': 2
}

/** Arrays were introduced in v0.2; an array with newer-style members is named after the newest. */
export function classifyPersonaList(values: readonly unknown[]): SourceFormat {
  let newest: PersonaFormat = 'sdf-v0-persona'
  for (const value of values) {
    if (!isRecord(value)) continue
    const format = classifyPersona(value)
    if (FORMAT_RANK[format] > FORMAT_RANK[newest]) newest = format
  }
  return FORMAT_RANK[newest] === 0 ? 'sdf-v0.2-persona-array' : newest
}

function attributeValue(value: unknown, field: string): AttributeValue {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return value as AttributeValue
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[]
  return fail(field, `expected a string, number, boolean, null or list of strings, got ${describeValue(value)}`)
}

/**
 * One persona object → the schema's persona fields. Known fields keep their types; unknown keys go to
 * `extra_attributes`. SynDisco ≥2.1 personas are plain string dicts, so there (and only there) a
 * string `personality_characteristics` is accepted: a Python list repr is read as a list, any other
 * text is kept verbatim under `extra_attributes` rather than reinterpreted.
 */
export function readPersonaFields(value: unknown, prefix = ''): PersonaSnapshot {
  if (!isRecord(value)) fail(prefix, `expected a persona object, got ${describeValue(value)}`)
  const field = (key: string): string => childField(prefix, key)
  if (!('username' in value)) fail(field('username'), 'missing: every persona needs a username')
  if (typeof value.username !== 'string') fail(field('username'), `expected a string, got ${describeValue(value.username)}`)
  const allStrings = Object.values(value).every((v) => typeof v === 'string')
  const persona: JsonRecord = { username: value.username }
  const extra: Record<string, AttributeValue> = {}
  for (const [key, raw] of Object.entries(value)) {
    if (key === 'username') continue
    if (!KNOWN_FIELDS.includes(key)) {
      setOwn(extra, key, attributeValue(raw, field(key)))
      continue
    }
    // Python wrote None for "not given"; dropping it loses nothing the schema could hold.
    if (raw === null) continue
    if (key === 'age') {
      if (typeof raw !== 'number' && typeof raw !== 'string') fail(field(key), `expected a number or a string, got ${describeValue(raw)}`)
      persona.age = raw
    } else if (key === 'personality_characteristics') {
      if (typeof raw === 'string' && allStrings) {
        const list = parsePythonStringList(raw)
        if (list) persona.personality_characteristics = list
        else setOwn(extra, key, raw)
      } else {
        if (!Array.isArray(raw)) fail(field(key), `expected a list of strings, got ${describeValue(raw)}`)
        raw.forEach((item, index) => {
          if (typeof item !== 'string') fail(itemField(field(key), index), `expected a string, got ${describeValue(item)}`)
        })
        persona.personality_characteristics = raw
      }
    } else if ((STRING_FIELDS as readonly string[]).includes(key)) {
      if (typeof raw !== 'string') fail(field(key), `expected a string, got ${describeValue(raw)}`)
      persona[key] = raw
    }
  }
  persona.extra_attributes = extra
  return parseWithSchema(PersonaSnapshotSchema, persona, prefix)
}

/**
 * A persona embedded in a SynDisco JSON prompt. Odd prompts must never sink a whole discussion,
 * so this returns null where `readPersonaFields` would throw; an empty username (2.0's default) takes
 * the participant's.
 */
export function personaFromPromptJson(username: string, value: unknown): PersonaSnapshot | null {
  if (!isRecord(value)) return null
  const named = typeof value.username === 'string' && value.username.trim() !== '' ? value : { ...value, username }
  try {
    return readPersonaFields(named)
  } catch (error) {
    if (error instanceof ReadError) return null
    throw error
  }
}

/** Annotator persona files are recognisable by their folder or by SDF's shared name "annotator". */
function isAnnotatorSource(path: string, personas: readonly PersonaSnapshot[]): boolean {
  if (folderNames(path).some((folder) => folder.toLowerCase().includes('annotation'))) return true
  return personas.length > 0 && personas.every((persona) => persona.username === 'annotator')
}

export function readPersonas(data: unknown, path: string): ParsedSource {
  const list = Array.isArray(data)
  const values = list ? data : [data]
  if (values.length === 0) fail(undefined, 'empty list: a persona file needs at least one persona object')
  const format = list ? classifyPersonaList(values) : classifyPersona(data as JsonRecord)
  const snapshots = values.map((value, index) => readPersonaFields(value, list ? itemField('', index) : ''))
  const annotator = isAnnotatorSource(path, snapshots)
  const personas: PersonaDraft[] = snapshots.map((persona) => (annotator ? { ...persona, role_hint: 'annotator' } : persona))
  return { kind: 'personas', format, personas }
}
