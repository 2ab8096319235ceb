import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { compileJsonValidator } from '../../../src/core/llm/index.js'

const Annotation = z.object({ label: z.enum(['toxic', 'fine']), score: z.number().int().min(1).max(5), note: z.string().max(10) })
const validate = compileJsonValidator(z.toJSONSchema(Annotation) as Record<string, unknown>)

describe('compileJsonValidator', () => {
  it('accepts output that parses and matches the schema, returning the value', () => {
    expect(validate('{"label":"fine","score":2,"note":"ok"}')).toEqual({ ok: true, value: { label: 'fine', score: 2, note: 'ok' } })
  })

  it('rejects what the grammar lets through: non-integers, out-of-range numbers, long strings, Infinity', () => {
    for (const text of [
      '{"label":"fine","score":2.5,"note":""}',
      '{"label":"fine","score":9,"note":""}',
      '{"label":"fine","score":2,"note":"far too long a note"}',
      '{"label":"fine","score":64E335980,"note":""}'
    ]) {
      expect(validate(text).ok, text).toBe(false)
    }
  })

  it('rejects text that is not JSON, saying so', () => {
    expect(validate('{"label": "fi')).toMatchObject({ ok: false, reason: expect.stringMatching(/^not JSON/) })
  })

  it('falls back to the given check for a schema zod cannot convert', () => {
    const fallback = compileJsonValidator({ type: 'object', $ref: '#/nowhere' }, (value) => {
      if (typeof value !== 'object') throw new Error('not an object')
    })
    expect(fallback('{}').ok).toBe(true)
    expect(fallback('3')).toEqual({ ok: false, reason: 'not an object' })
  })
})
