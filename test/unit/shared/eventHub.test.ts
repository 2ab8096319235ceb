import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createEventHub, defineEvents } from '../../../src/shared/index.js'

const events = defineEvents({
  'ticks.count': { payload: z.number(), cursor: z.number().int().optional() },
  'ticks.broken': { payload: z.number(), cursor: z.undefined() }
})

describe('createEventHub', () => {
  const hub = createEventHub(events, {
    'ticks.count': (send, cursor) => {
      send(cursor ?? 0)
      return () => undefined
    },
    'ticks.broken': () => {
      throw new Error('no ticks today')
    }
  })

  it('starts the topic source with the parsed cursor', async () => {
    const sent: unknown[] = []
    const outcome = await hub.subscribe('ticks.count', 5, (payload) => sent.push(payload))
    expect(outcome.ok).toBe(true)
    expect(sent).toEqual([5])
  })

  it.each([['toString'], ['__proto__'], ['nope'], [42]])('refuses the unknown topic %s', async (topic) => {
    await expect(hub.subscribe(topic, undefined, () => undefined)).resolves.toMatchObject({ ok: false, error: { code: 'unknown-method' } })
  })

  it('refuses a cursor that breaks the topic schema, with details', async () => {
    const outcome = await hub.subscribe('ticks.count', 'five', () => undefined)
    expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid-input', details: { issues: [expect.objectContaining({ code: 'invalid_type' })] } } })
  })

  it('answers a failing source with an error instead of throwing', async () => {
    await expect(hub.subscribe('ticks.broken', undefined, () => undefined)).resolves.toEqual({
      ok: false,
      error: { code: 'internal', message: 'no ticks today' }
    })
  })
})
