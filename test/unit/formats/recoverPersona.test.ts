import { describe, expect, it } from 'vitest'
import {
  parsePythonStringList,
  pythonJsonDumps,
  recoverPersona,
  splitAttributeText,
  splitLegacySystemPrompt
} from '../../../src/core/formats/index.js'

const TROLL = 'You are an online troll and want to derail the conversation, violate the rules and provoke toxicity from other users.'

describe('recovering personas from SDF attribute lists (spec §1.1)', () => {
  it('reads the v-1 positional style ("and X intent")', () => {
    const attributes = ['32 years old', 'Heterosexual', 'White', 'Unemployed', 'sarcastic', 'provocative', 'woman', 'with College education', 'and Troll intent']
    expect(recoverPersona('QueenOfChaos', attributes)).toEqual({
      origin: 'recovered-from-prompt',
      persona: {
        username: 'QueenOfChaos',
        age: 32,
        sex: 'female',
        sexual_orientation: 'Heterosexual',
        demographic_group: 'White',
        current_employment: 'Unemployed',
        education_level: 'College',
        intent: 'Troll',
        personality_characteristics: ['sarcastic', 'provocative'],
        extra_attributes: {}
      }
    })
  })

  it('reads the Nov 9–20 style: "with X education." then the special instructions', () => {
    const text = `29 years old, Homosexual, White, Retail Worker, outgoing, impulsive, man, with High School education., ${TROLL}`
    const { persona } = recoverPersona('DarkShadow333', splitAttributeText(text))
    expect(persona).toMatchObject({ sex: 'male', education_level: 'High School', special_instructions: TROLL })
    expect(persona.personality_characteristics).toEqual(['outgoing', 'impulsive'])
  })

  it('reads empty special instructions in the Nov style (the attribute text ends with ", ")', () => {
    const { persona } = recoverPersona('x', splitAttributeText('41 years old, Straight, A, B, non-binary, with PhD education., '))
    expect(persona).toMatchObject({ sex: 'non-binary', special_instructions: '', personality_characteristics: [] })
  })

  it('reads `field: value` attributes with Python reprs, splitting only before known field names', () => {
    const text =
      `username: DarkShadow333, age: 29, sex: male, sexual_orientation: Homosexual, demographic_group: White, ` +
      `current_employment: Retail Worker, education_level: High School, special_instructions: ${TROLL}, ` +
      `personality_characteristics: ['outgoing', "it's fine"], man`
    const attributes = splitAttributeText(text)
    expect(attributes).toHaveLength(10)
    expect(attributes[9]).toBe('man')
    expect(recoverPersona('DarkShadow333', attributes).persona).toEqual({
      username: 'DarkShadow333',
      age: 29,
      sex: 'male',
      sexual_orientation: 'Homosexual',
      demographic_group: 'White',
      current_employment: 'Retail Worker',
      education_level: 'High School',
      special_instructions: TROLL,
      personality_characteristics: ['outgoing', "it's fine"],
      extra_attributes: {}
    })
  })

  it('maps the trailing sex word back only when no `sex:` field exists', () => {
    expect(recoverPersona('x', ['age: 30', 'woman']).persona.sex).toBe('female')
    expect(recoverPersona('x', ['sex: Female', 'woman']).persona.sex).toBe('Female')
  })

  it('keeps unknown `field: value` attributes as extra attributes and age buckets as strings', () => {
    expect(recoverPersona('x', ['age: 18-24', 'political_leaning: left']).persona).toEqual({
      username: 'x',
      age: '18-24',
      extra_attributes: { political_leaning: 'left' }
    })
  })

  it('falls back to the name alone when no style fits', () => {
    expect(recoverPersona('moderator', ['just', 'strict', 'understanding'])).toEqual({
      origin: 'name-only',
      persona: { username: 'moderator', extra_attributes: {} }
    })
    expect(recoverPersona('x', []).origin).toBe('name-only')
  })

  it('names a persona from its `username:` attribute when the speaker had no name', () => {
    expect(recoverPersona('', ['username: TechGuru88', 'age: 30']).persona.username).toBe('TechGuru88')
    expect(recoverPersona('', ['age: 30'], 'annotator').persona.username).toBe('annotator')
  })
})

describe('splitting stored system prompts (spec §2.4)', () => {
  it('splits the v0 prompt, keeping a context with its own periods', () => {
    const prompt = "You are moderator just, strict, understanding. Context: You see a post:  'Hi. There.\n'. Your instructions: Be fair.."
    expect(splitLegacySystemPrompt(prompt, 'moderator')).toEqual({
      form: 'sdf-v0',
      name: 'moderator',
      attributesText: 'just, strict, understanding',
      context: "You see a post:  'Hi. There.\n'",
      instructions: 'Be fair.'
    })
  })

  it('splits v0 annotator prompts, whose name is empty (two spaces)', () => {
    expect(splitLegacySystemPrompt('You are  age: 30. Context: . Your instructions: Rate.')).toMatchObject({
      name: '',
      attributesText: 'age: 30',
      context: '',
      instructions: 'Rate'
    })
  })

  it('splits the v0.1/v0.2 prompt, with or without traits', () => {
    const prompt = 'You are a human. Your name is Ann Lee. Your traits: age: 3 Your instructions: Talk.'
    expect(splitLegacySystemPrompt(prompt, 'Ann Lee')).toEqual({
      form: 'sdf-v0.1',
      name: 'Ann Lee',
      attributesText: 'age: 3',
      context: 'You are a human.',
      instructions: 'Talk.'
    })
    expect(splitLegacySystemPrompt('C Your name is a. Your traits:  Your instructions: I')).toMatchObject({ attributesText: '', instructions: 'I' })
  })

  it('reads syndisco JSON prompts', () => {
    const prompt = '{"context": "c", "instructions": "i", "type": "1", "persona": {"username": "u"}}'
    expect(splitLegacySystemPrompt(prompt)).toEqual({ form: 'json', context: 'c', instructions: 'i', type: '1', persona: { username: 'u' } })
  })

  it('returns null for text in no known form', () => {
    expect(splitLegacySystemPrompt('Be nice.')).toBeNull()
    expect(splitLegacySystemPrompt('{"not": "a prompt"}')).toBeNull()
    expect(splitLegacySystemPrompt('{broken')).toBeNull()
  })
})

describe('Python literals', () => {
  it('reads list reprs with both quote styles and escapes', () => {
    expect(parsePythonStringList(`['a', "it's", 'tab\\there', 'caf\\xe9']`)).toEqual(['a', "it's", 'tab\there', 'café'])
    expect(parsePythonStringList('[]')).toEqual([])
    expect(parsePythonStringList("['a' 'b']")).toBeNull()
    expect(parsePythonStringList("['a', 3]")).toBeNull()
    expect(parsePythonStringList('curious')).toBeNull()
  })

  it("writes JSON the way Python's json.dumps does", () => {
    expect(pythonJsonDumps({ a: 'Zoë 😀', b: [1, 0.3, true, null], c: {} })).toBe(
      '{"a": "Zo\\u00eb \\ud83d\\ude00", "b": [1, 0.3, true, null], "c": {}}'
    )
  })
})
