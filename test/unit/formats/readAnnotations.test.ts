import { describe, expect, it } from 'vitest'
import { AnnotationSchema } from '../../../src/core/schema/index.js'
import { fixture, fixtureJson, formatError, jsonFile, parsedAs } from './formatTestSupport.js'

const V0 = 'v0/annotations_output/24-11-17-15-28.json'
const V0_FIELDS = 'v0/annotations_output/toxicity/24-12-01-11-00.json'
const V02 = 'v0.2/annotation_output/toxicity/25-01-10-11-16.json'
const SYN20 = 'syndisco-2.0/annotation_output/main/26-02-11-09-00-00.json'
const SYN21 = 'syndisco-2.1/annotation_output/26-05-01-11-00.json'

describe('reading v0 annotation files', () => {
  const result = parsedAs('annotations', fixture(V0))

  it('names the annotated discussion and keeps one record per [message, annotation] pair, in order', () => {
    expect(result.format).toBe('sdf-v0-annotation')
    expect(result.discussionId).toBe('0b1c9f3e-5a55-4f0e-9d61-3c8e2f9b7a10')
    const logs = fixtureJson(V0).logs as [string, string][]
    expect(result.annotations.map((a) => [a.position, a.quoted_text, a.raw_text])).toEqual(
      logs.map(([message, annotation], index) => [index, message, annotation])
    )
    expect(result.annotations.every((a) => a.quoted_author === null && a.created_at === '24-11-17-15-28')).toBe(true)
    expect(result.annotations.every((a) => !('comment_index' in a))).toBe(true)
  })

  it('reads "Toxicity=4" and " Toxicity=3"; leaves a bare "2" and empty outputs unparsed', () => {
    expect(result.annotations.map((a) => [a.values, a.parsed])).toEqual([
      [{ toxicity: 4 }, true],
      [{ toxicity: 3 }, true],
      [{}, false],
      [{}, false],
      [{}, false],
      [{ toxicity: 1.5 }, true]
    ])
  })

  it('describes the LLM annotator, recovering the persona from the Nov-style prompt with its empty name', () => {
    expect(result.annotations[0]?.annotator).toEqual({
      name: 'LLMAnnotator',
      kind: 'llm',
      model: null,
      prompt: fixtureJson(V0).annotator_prompt,
      persona: {
        username: 'annotator',
        age: 30,
        sex: 'male',
        sexual_orientation: 'Pansexual',
        demographic_group: 'Latino',
        current_employment: 'Personal Trainer',
        education_level: 'Masters',
        special_instructions: '',
        personality_characteristics: ['energetic', 'competitive'],
        extra_attributes: {}
      },
      spec_id: null
    })
  })

  it('takes the persona name from a `username:` attribute when the prompt has one', () => {
    const [first] = parsedAs('annotations', fixture(V0_FIELDS)).annotations
    expect(first?.annotator.persona).toMatchObject({ username: 'TechGuru88', age: 30, sex: 'male' })
  })
})

describe('reading v0.2 and syndisco 2.0 annotation files', () => {
  it('names the annotator after its model and reads several metrics per output', () => {
    const result = parsedAs('annotations', fixture(V02))
    expect(result.format).toBe('sdf-v0.2-annotation')
    expect(result.annotations[0]?.annotator).toMatchObject({
      name: 'llama-3.1-70b-4bit',
      model: 'llama-3.1-70b-4bit',
      persona: { username: 'annotator', age: 45, education_level: "Master's" }
    })
    expect(result.annotations.map((a) => a.values)).toEqual([
      { toxicity: 4, argument_quality: 5 },
      { toxicity: 2, argument_quality: 3 }
    ])
  })

  it('reads the annotator persona from a 2.0 JSON prompt', () => {
    const result = parsedAs('annotations', fixture(SYN20))
    expect(result.discussionId).toBe('3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f')
    expect(result.annotations[0]?.annotator.persona).toMatchObject({ username: 'annotator', age: '65+' })
  })

  it('keeps the annotator persona null when the prompt reveals nothing', () => {
    const raw = { ...fixtureJson(V02), annotator_prompt: 'Rate the toxicity.' }
    expect(parsedAs('annotations', jsonFile('a.json', raw)).annotations[0]?.annotator.persona).toBeNull()
  })
})

describe('reading syndisco ≥2.1 annotation Logs', () => {
  it('is told from a discussion log by the annotator prompt type; records quote the author, not the text', () => {
    const result = parsedAs('annotations', fixture(SYN21))
    expect(result.format).toBe('syndisco-2.1-annotation-logs')
    expect(result.discussionId).toBeNull()
    expect(result.annotations.map((a) => [a.position, a.quoted_author, a.quoted_text, a.raw_text, a.parsed])).toEqual([
      [0, 'amber-lynx', null, 'Toxicity=1', true],
      [1, 'moderator', null, '', false]
    ])
    expect(result.annotations[0]?.annotator).toMatchObject({
      name: 'qwen3-8b',
      model: 'qwen3-8b',
      persona: { username: 'annotator', age: '45-54', sex: 'female' }
    })
    expect(result.annotations[0]?.created_at).toBe('26-05-01-11-00')
  })
})

describe('annotation files in general', () => {
  it('produce records that validate as annotations once the importer links them', () => {
    for (const path of [V0, V0_FIELDS, V02, SYN20, SYN21]) {
      const { annotations, discussionId } = parsedAs('annotations', fixture(path))
      for (const draft of annotations) {
        const record = { ...draft, id: 'a-1', discussion_id: discussionId, comment_index: null }
        expect(AnnotationSchema.safeParse(record).success).toBe(true)
      }
    }
  })

  it('reject broken records with the field to blame', () => {
    const raw = fixtureJson(V0)
    expect(formatError(jsonFile('a.json', { ...raw, logs: [['only message']] })).describe()).toBe(
      'a.json: field logs[0]: expected [message, annotation] pair, got a list of 1'
    )
    expect(formatError(jsonFile('a.json', { ...raw, logs: [['m', 4]] })).field).toBe('logs[0][1]')
    expect(formatError(jsonFile('a.json', { ...raw, conv_id: 5 })).field).toBe('conv_id')
    expect(formatError(jsonFile('a.json', { ...raw, annotator_prompt: ['x'] })).field).toBe('annotator_prompt')
  })
})
