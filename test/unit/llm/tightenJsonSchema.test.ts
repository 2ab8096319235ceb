import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { tightenJsonSchema } from '../../../src/core/llm/index.js'

describe('tightenJsonSchema', () => {
  it('turns a small bounded integer into an enum the grammar can enforce', () => {
    expect(tightenJsonSchema({ type: 'integer', minimum: 1, maximum: 5, description: 'toxicity' })).toEqual({
      description: 'toxicity',
      enum: [1, 2, 3, 4, 5]
    })
  })

  it('honours exclusive bounds', () => {
    expect(tightenJsonSchema({ type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 4 })).toEqual({ enum: [1, 2, 3] })
  })

  it('leaves unbounded or wide integers, numbers and other types alone', () => {
    const schema = z.toJSONSchema(z.object({ offset: z.number().int(), weight: z.number().min(0).max(1), name: z.string() }))
    expect(tightenJsonSchema(schema)).toEqual(schema)
  })

  it('reaches into properties, arrays and unions, without changing the input', () => {
    const schema = z.toJSONSchema(
      z.object({ ratings: z.array(z.number().int().min(0).max(2)), either: z.union([z.number().int().min(7).max(8), z.string()]) })
    ) as Record<string, unknown>
    const before = JSON.stringify(schema)
    const tightened = tightenJsonSchema(schema) as { properties: { ratings: { items: unknown }; either: { anyOf: unknown[] } } }
    expect(tightened.properties.ratings.items).toEqual({ enum: [0, 1, 2] })
    expect(tightened.properties.either.anyOf[0]).toEqual({ enum: [7, 8] })
    expect(JSON.stringify(schema)).toBe(before)
  })
})
