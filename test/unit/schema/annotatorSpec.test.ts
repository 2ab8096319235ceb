import { describe, expect, it } from 'vitest'
import { annotationJsonSchema, annotationValuesSchema, AnnotatorSpecSchema } from '../../../src/core/index.js'

const spec = AnnotatorSpecSchema.parse({
  id: 'toxicity-and-stance',
  name: 'Toxicity and stance',
  instructions: 'Rate the last comment.',
  labels: [
    { name: 'toxicity', type: 'integer', min: 1, max: 5, description: '1 not toxic … 5 extremely toxic' },
    { name: 'stance', type: 'category', options: ['agree', 'disagree', 'neutral'] },
    { name: 'rationale', type: 'text', max_length: 200 }
  ]
})

describe('an annotator spec', () => {
  it('fills sensible defaults: structured output, the last 4 comments, moderators left out', () => {
    expect(spec.mode).toBe('structured')
    expect(spec.context).toEqual({ history: 4, include_topic: false, include_moderator_comments: false })
  })

  it('turns its labels into the JSON schema the model is held to', () => {
    expect(annotationJsonSchema(spec.labels)).toEqual({
      type: 'object',
      properties: {
        toxicity: { type: 'integer', minimum: 1, maximum: 5, description: '1 not toxic … 5 extremely toxic' },
        stance: { type: 'string', enum: ['agree', 'disagree', 'neutral'] },
        rationale: { type: 'string', maxLength: 200 }
      },
      required: ['toxicity', 'stance', 'rationale'],
      additionalProperties: false
    })
  })

  it('validates answers beyond what a grammar enforces (ranges, whole numbers, options)', () => {
    const values = annotationValuesSchema(spec.labels)
    expect(values.safeParse({ toxicity: 3, stance: 'agree', rationale: 'calm' }).success).toBe(true)
    expect(values.safeParse({ toxicity: 9, stance: 'agree', rationale: '' }).success).toBe(false)
    expect(values.safeParse({ toxicity: 2.5, stance: 'agree', rationale: '' }).success).toBe(false)
    expect(values.safeParse({ toxicity: 2, stance: 'maybe', rationale: '' }).success).toBe(false)
    expect(values.safeParse({ toxicity: 2, stance: 'agree', rationale: '', extra: 1 }).success).toBe(false)
  })

  it('rejects duplicate label names and inverted ranges, naming the field', () => {
    const bad = AnnotatorSpecSchema.safeParse({
      id: 'bad',
      name: 'Bad',
      instructions: '',
      labels: [
        { name: 'toxicity', type: 'integer', min: 5, max: 1 },
        { name: 'toxicity', type: 'boolean' }
      ]
    })
    expect(bad.success).toBe(false)
    expect(bad.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['labels.0.max', 'labels.1.name'])
  })
})
