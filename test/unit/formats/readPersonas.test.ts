import { describe, expect, it } from 'vitest'
import { PersonaSchema } from '../../../src/core/schema/index.js'
import { fixture, formatError, jsonFile, parsedAs, sourceFile } from './formatTestSupport.js'

const V0_TROLL = {
  username: 'DarkShadow333',
  age: 29,
  sex: 'male',
  education_level: 'High School',
  sexual_orientation: 'Homosexual',
  demographic_group: 'White',
  current_employment: 'Retail Worker',
  special_instructions: 'You are an online troll and want to derail the conversation, violate the rules and provoke toxicity from other users.',
  personality_characteristics: ['outgoing', 'rebellious', 'provocative', 'impulsive']
}

describe('reading persona files', () => {
  it('reads a v0 persona file that starts with a space before "{"', () => {
    const result = parsedAs('personas', fixture('v0/discussions_input/personas/troll_1.json'))
    expect(result.format).toBe('sdf-v0-persona')
    expect(result.personas).toEqual([{ ...V0_TROLL, extra_attributes: {} }])
    expect(result.personas[0]?.role_hint).toBeUndefined()
  })

  it('decodes \\uXXXX escapes (json.dump ensure_ascii) in names, values and lists', () => {
    const [persona] = parsedAs('personas', fixture('v0/discussions_input/personas/zoe.json')).personas
    expect(persona?.username).toBe('Zoë_Ω')
    expect(persona?.demographic_group).toBe('Française')
    expect(persona?.personality_characteristics).toEqual(['warm', "it's complicated", 'débonnaire'])
  })

  it('accepts a byte order mark and blank lines before the JSON', () => {
    const result = parsedAs('personas', sourceFile('personas/a.json', `\uFEFF\n\n  ${JSON.stringify(V0_TROLL)}`))
    expect(result.personas[0]?.username).toBe('DarkShadow333')
  })

  it('reads a v-1 persona with `intent` instead of special instructions', () => {
    const result = parsedAs('personas', fixture('v-1/personas/troll_1.json'))
    expect(result.format).toBe('sdf-v-1-persona')
    expect(result.personas[0]).toMatchObject({ username: 'DarkShadow333', intent: 'Troll' })
    expect(result.personas[0]).not.toHaveProperty('special_instructions')
  })

  it('reads a v0.2 persona array in file order', () => {
    const result = parsedAs('personas', fixture('v0.2/discussions_input/personas/personas.json'))
    expect(result.format).toBe('sdf-v0.2-persona-array')
    expect(result.personas.map((p) => p.username)).toEqual(['DarkShadow333', 'doing_my_best24', 'SportyAce23'])
  })

  it('marks annotator persona arrays (every username "annotator") as annotators', () => {
    const file = jsonFile('somewhere/sdb.json', [
      { ...V0_TROLL, username: 'annotator' },
      { ...V0_TROLL, username: 'annotator', age: 60 }
    ])
    const result = parsedAs('personas', file)
    expect(result.personas.map((p) => p.role_hint)).toEqual(['annotator', 'annotator'])
  })

  it('marks personas found under an annotation folder as annotators, whatever their names', () => {
    const file = jsonFile('data/annotation_input/modular_configurations/personas/chill_1.json', V0_TROLL)
    expect(parsedAs('personas', file).personas[0]?.role_hint).toBe('annotator')
    expect(parsedAs('personas', fixture('v0.2/annotation_input/personas/sdb_personas.json')).personas[1]?.role_hint).toBe(
      'annotator'
    )
  })

  it('leaves role_hint unset when neither names nor folders tell', () => {
    const file = jsonFile('personas/mixed.json', [V0_TROLL, { ...V0_TROLL, username: 'annotator' }])
    expect(parsedAs('personas', file).personas.map((p) => p.role_hint)).toEqual([undefined, undefined])
  })

  it('keeps syndisco 2.0 age buckets and "Unknown"/"-1" ablation values as written', () => {
    const employed = parsedAs('personas', fixture('syndisco-2.0/discussions_input/personas/personas_employed.json'))
    expect(employed.format).toBe('syndisco-2.0-persona')
    expect(employed.personas.map((p) => p.age)).toEqual(['18-24', '65+'])
    const ablation = parsedAs('personas', fixture('syndisco-2.0/discussions_input/personas/no_sdbs.json'))
    expect(ablation.personas[0]).toMatchObject({ age: '-1', sex: 'Unknown', education_level: 'Unknown' })
    // A string where a list belongs cannot be typed; it is kept verbatim rather than reinterpreted.
    expect(ablation.personas[0]?.personality_characteristics).toBeUndefined()
    expect(ablation.personas[0]?.extra_attributes).toEqual({ personality_characteristics: 'Unknown' })
  })

  it('accepts syndisco 2.0 personas that leave fields to their defaults', () => {
    const result = parsedAs('personas', jsonFile('p.json', { username: 'x', age: -1, personality_characteristics: [] }))
    expect(result.format).toBe('syndisco-2.0-persona')
    expect(result.personas[0]).toEqual({ username: 'x', age: -1, personality_characteristics: [], extra_attributes: {} })
  })

  it('reads syndisco ≥2.1 string dicts: unknown keys become extra attributes, known ones stay typed', () => {
    const result = parsedAs('personas', fixture('syndisco-2.1/personas/personas.json'))
    expect(result.format).toBe('syndisco-2.1-persona')
    expect(result.personas).toEqual([
      { username: 'amber-lynx', age: '25-34', extra_attributes: { political_leaning: 'left' } },
      {
        username: 'grey-wolf',
        sex: 'male',
        personality_characteristics: ['stubborn', 'loyal'],
        extra_attributes: { hobby: 'chess' }
      }
    ])
  })

  it('treats JSON null in a known field as "not given"', () => {
    const result = parsedAs('personas', jsonFile('p.json', { ...V0_TROLL, sex: null }))
    expect(result.personas[0]).not.toHaveProperty('sex')
  })

  it('produces personas that validate against the library schema once given an id', () => {
    for (const path of ['v0/discussions_input/personas/zoe.json', 'syndisco-2.1/personas/personas.json']) {
      for (const persona of parsedAs('personas', fixture(path)).personas) {
        expect(PersonaSchema.safeParse({ ...persona, id: 'p-1' }).success).toBe(true)
      }
    }
  })

  describe('rejecting broken personas with the field to blame', () => {
    it('names `username` when a persona has none', () => {
      const { username: _username, ...rest } = V0_TROLL
      const error = formatError(jsonFile('personas/p.json', rest))
      expect(error.field).toBe('username')
      expect(error.describe()).toMatch(/^personas\/p\.json: field username: missing/)
    })

    it('names the array position, e.g. `[2].username`', () => {
      const { username: _username, ...rest } = V0_TROLL
      const error = formatError(jsonFile('personas.json', [V0_TROLL, V0_TROLL, rest]))
      expect(error.field).toBe('[2].username')
    })

    it('rejects a blank username', () => {
      expect(formatError(jsonFile('p.json', { ...V0_TROLL, username: '   ' })).field).toBe('username')
    })

    it('rejects personality_characteristics that are not a list of strings', () => {
      expect(formatError(jsonFile('p.json', { ...V0_TROLL, personality_characteristics: 'calm' })).field).toBe(
        'personality_characteristics'
      )
      const error = formatError(jsonFile('p.json', { ...V0_TROLL, personality_characteristics: ['calm', 3] }))
      expect(error.field).toBe('personality_characteristics[1]')
      expect(error.message).toBe('expected a string, got number')
    })

    it('rejects wrongly typed known fields and unstorable extra attributes', () => {
      expect(formatError(jsonFile('p.json', { ...V0_TROLL, age: [29] })).field).toBe('age')
      expect(formatError(jsonFile('p.json', { ...V0_TROLL, sex: 1 })).message).toBe('expected a string, got number')
      expect(formatError(jsonFile('p.json', { ...V0_TROLL, hobbies: { a: 1 } })).field).toBe('hobbies')
    })

    it('rejects an empty persona list and lists of non-objects', () => {
      expect(formatError(jsonFile('personas.json', [])).message).toMatch(/^not a recognised SDF or SynDisco file/)
      expect(formatError(jsonFile('personas.json', [V0_TROLL, 'x'])).field).toBe('[1]')
    })
  })
})
