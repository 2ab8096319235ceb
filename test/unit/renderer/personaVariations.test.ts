import { describe, expect, it } from 'vitest'
import { newRecordId, slugForId } from '../../../src/renderer/src/components/recordIds.js'
import {
  combinations,
  generateVariations,
  MAX_VARIATIONS,
  variationCount,
  type PersonaRecord
} from '../../../src/renderer/src/pages/library/personaVariations.js'

const template: PersonaRecord = {
  id: 'example-ada',
  username: 'Ada',
  age: 34,
  sex: 'female',
  education_level: 'PhD',
  personality_characteristics: ['curious'],
  extra_attributes: { political_leaning: 'centre' },
  example: true,
  source: { kind: 'starter' }
}

describe('persona variations from a template', () => {
  it('makes one persona per combination of the varied values, the first field varying slowest', () => {
    const fields = [
      { field: 'sex', values: ['female', 'male'] },
      { field: 'education_level', values: ['High school', 'PhD', 'MSc'] }
    ]
    expect(variationCount(fields)).toBe(6)
    expect(combinations(fields).map((combo) => `${combo['sex']}/${combo['education_level']}`)).toEqual([
      'female/High school',
      'female/PhD',
      'female/MSc',
      'male/High school',
      'male/PhD',
      'male/MSc'
    ])
    const personas = generateVariations(template, fields, [])
    expect(personas).toHaveLength(6)
    expect(personas[4]).toMatchObject({ sex: 'male', education_level: 'PhD', age: 34, personality_characteristics: ['curious'] })
  })

  it('numbers usernames so participants stay distinguishable, and gives every copy a fresh id that is not an example id', () => {
    const personas = generateVariations(template, [{ field: 'sex', values: ['a', 'b'] }], ['ada-1'])
    expect(personas.map((persona) => persona.username)).toEqual(['Ada-1', 'Ada-2'])
    expect(personas.map((persona) => persona.id)).toEqual(['ada-1-2', 'ada-2'])
    for (const persona of personas) {
      expect(persona.example).toBeUndefined()
      expect(persona.source).toBeUndefined()
      expect(persona.id.startsWith('example-')).toBe(false)
    }
  })

  it('keeps numeric ages numbers, splits personality traits on commas and varies extra attributes by key', () => {
    const [first] = generateVariations(
      template,
      [
        { field: 'age', values: ['19'] },
        { field: 'personality_characteristics', values: ['calm, kind'] },
        { field: 'extra_attributes.political_leaning', values: ['left'] }
      ],
      []
    )
    expect(first).toMatchObject({ age: 19, personality_characteristics: ['calm', 'kind'], extra_attributes: { political_leaning: 'left' } })
    expect(first?.username).toBe('Ada')
  })

  it('uses varied usernames as they are', () => {
    const personas = generateVariations(template, [{ field: 'username', values: ['Bo', 'Cy'] }], [])
    expect(personas.map((persona) => [persona.username, persona.id])).toEqual([
      ['Bo', 'bo'],
      ['Cy', 'cy']
    ])
  })

  it('makes nothing when no field has values, and refuses more than the limit', () => {
    expect(generateVariations(template, [{ field: 'sex', values: [] }], [])).toEqual([])
    const many = Array.from({ length: MAX_VARIATIONS + 1 }, (_, i) => String(i))
    expect(() => generateVariations(template, [{ field: 'age', values: many }], [])).toThrow(/more than 500/)
  })

  it('does not change the template', () => {
    const before = structuredClone(template)
    generateVariations(template, [{ field: 'extra_attributes.x', values: ['1'] }], [])
    expect(template).toEqual(before)
  })
})

describe('new record ids', () => {
  it('slugs names to valid ids and counts up past taken ones', () => {
    expect(slugForId('Ada Lovelace (troll)')).toBe('ada-lovelace-troll')
    expect(slugForId('  ')).toBe('record')
    expect(slugForId('Émile')).toBe('emile')
    expect(newRecordId('Ada', ['ada', 'ada-2'])).toBe('ada-3')
  })

  it('never hands out an example- id, so a user record is never taken for a starter example', () => {
    expect(newRecordId('Example persona', [])).toBe('my-example-persona')
  })
})
