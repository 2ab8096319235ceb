import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  ReplayBuffer,
  StreamHub,
  StreamReader,
  type StreamCursor,
  type TokenBatch,
  type TokenBatches
} from '../../../src/shared/index.js'

/** Every token ever sent to one subscriber, per stream, with its sequence number. */
function recorder() {
  const payloads: TokenBatches[] = []
  const seen = new Map<string, number[]>()
  return {
    payloads,
    seen,
    send(payload: TokenBatches) {
      payloads.push(payload)
      for (const batch of payload.batches) {
        const list = seen.get(batch.stream) ?? []
        batch.tokens.forEach((_, i) => list.push(batch.from + i))
        seen.set(batch.stream, list)
      }
    }
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i)

describe('StreamHub', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })

  afterEach(() => {
    vi.useRealTimers()
  })

  it('delivers every token once, in order, in batches about every 30 ms', async () => {
    const hub = new StreamHub({ windowMs: 30 })
    const sink = recorder()
    await hub.subscribe(sink.send)
    for (let i = 0; i < 100; i++) {
      hub.append('a', `a${i}`)
      if (i % 2 === 0) hub.append('b', `b${i}`)
      vi.advanceTimersByTime(3)
    }
    hub.end('a')
    vi.advanceTimersByTime(30)
    expect(sink.seen.get('a')).toEqual(range(100))
    expect(sink.seen.get('b')).toEqual(range(50))
    expect(sink.payloads.length).toBeGreaterThanOrEqual(10)
    expect(sink.payloads.length).toBeLessThanOrEqual(12)
    expect(sink.payloads.at(-1)?.batches.find((batch) => batch.stream === 'a')?.done).toBe(true)
  })

  it('lets a late subscriber catch up from the replay, then continue live, without a gap or a repeat', async () => {
    const hub = new StreamHub({ windowMs: 30 })
    for (let i = 0; i < 10; i++) hub.append('a', `${i}`)
    vi.advanceTimersByTime(30)
    for (let i = 10; i < 15; i++) hub.append('a', `${i}`)
    // Tokens 10-14 are pending in the open window when the subscriber arrives.
    const late = recorder()
    await hub.subscribe(late.send)
    for (let i = 15; i < 20; i++) hub.append('a', `${i}`)
    vi.advanceTimersByTime(30)
    expect(late.seen.get('a')).toEqual(range(20))
  })

  it('resumes a returning subscriber from its cursor: nothing it had is sent again', async () => {
    const hub = new StreamHub({ windowMs: 30 })
    const first = recorder()
    const stop = await hub.subscribe(first.send)
    for (let i = 0; i < 6; i++) hub.append('a', `${i}`)
    vi.advanceTimersByTime(30)
    stop()
    for (let i = 6; i < 9; i++) hub.append('a', `${i}`)
    vi.advanceTimersByTime(30)
    const again = recorder()
    await hub.subscribe(again.send, { a: 6 })
    expect(again.seen.get('a')).toEqual([6, 7, 8])
  })

  it('waits for a slow replay source and still loses nothing published meanwhile', async () => {
    const buffer = new ReplayBuffer()
    let release: () => void = () => undefined
    const slowReplay = {
      read: (cursor: StreamCursor) =>
        new Promise<TokenBatch[]>((resolve) => {
          release = () => resolve(buffer.read(cursor))
        })
    }
    const hub = new StreamHub({ windowMs: 30, replay: slowReplay, sink: buffer })
    hub.append('a', '0', '1')
    vi.advanceTimersByTime(30)
    const sink = recorder()
    const subscribed = hub.subscribe(sink.send)
    hub.append('a', '2', '3')
    vi.advanceTimersByTime(30)
    expect(sink.payloads).toEqual([])
    release()
    await subscribed
    expect(sink.seen.get('a')).toEqual([0, 1, 2, 3])
  })

  it('drops a subscriber whose channel throws, and keeps serving the others', async () => {
    const hub = new StreamHub({ windowMs: 30 })
    const healthy = recorder()
    await hub.subscribe(() => {
      throw new Error('socket gone')
    })
    await hub.subscribe(healthy.send)
    hub.append('a', 'x')
    vi.advanceTimersByTime(30)
    expect(hub.subscriberCount).toBe(1)
    expect(healthy.seen.get('a')).toEqual([0])
  })

  it('shows each stream exactly as produced, whatever the interleaving of tokens, windows, reconnects and replay delays', async () => {
    type Step =
      | { kind: 'token'; stream: number }
      | { kind: 'tick'; ms: number }
      | { kind: 'reconnect'; lag: number }
      | { kind: 'release' }
      | { kind: 'end'; stream: number }
    const step = fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('token' as const), stream: fc.integer({ min: 0, max: 3 }) }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 45 }) }) },
      // A reconnect whose cursor lags behind what the page shows (answers lost in flight): the hub
      // replays from the cursor and the reader must not show the overlap twice.
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('reconnect' as const), lag: fc.integer({ min: 0, max: 3 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('release' as const) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('end' as const), stream: fc.integer({ min: 0, max: 3 }) }) }
    )
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 200 }), fc.constantFrom('ring', 'slow', 'journal'), async (steps: Step[], source) => {
        // ring: the hub's own buffer. slow: it answers only when released, while live batches pile up.
        // journal: written per token as produced (like the run journal), so a replay can hold tokens
        // that the hub has yet to flush, and overlaps live batches part way.
        const buffer = new ReplayBuffer()
        const held: (() => void)[] = []
        const replay =
          source === 'slow'
            ? { read: (cursor: StreamCursor) => new Promise<TokenBatch[]>((resolve) => held.push(() => resolve(buffer.read(cursor)))) }
            : buffer
        const hub = new StreamHub({ windowMs: 30, replay, ...(source === 'journal' ? { sink: { record: () => undefined } } : { sink: buffer }) })
        const reader = new StreamReader()
        const produced = new Map<string, string>()
        const ended = new Set<string>()
        const subscriptions: { cursor: StreamCursor; seen: Map<string, number[]> }[] = []
        let stop: (() => void) | null = null
        const subscribe = (cursor: StreamCursor) => {
          const record = { cursor, seen: new Map<string, number[]>() }
          subscriptions.push(record)
          void hub
            .subscribe((payload) => {
              for (const batch of payload.batches) {
                const list = record.seen.get(batch.stream) ?? []
                batch.tokens.forEach((_, i) => list.push(batch.from + i))
                record.seen.set(batch.stream, list)
              }
              reader.apply(payload.batches)
            }, cursor)
            .then((unsubscribe) => {
              if (subscriptions.at(-1) === record) stop = unsubscribe
              else unsubscribe()
            })
        }
        const settle = async () => {
          while (held.length > 0) held.shift()?.()
          await vi.advanceTimersByTimeAsync(0)
        }
        subscribe({})
        for (const s of steps) {
          if (s.kind === 'token') {
            const id = `s${s.stream}`
            if (ended.has(id)) continue
            const token = `<${id}:${produced.get(id)?.length ?? 0}>`
            const seq = hub.append(id, token)
            if (source === 'journal') buffer.record([{ stream: id, from: seq, tokens: [token], done: false }])
            produced.set(id, (produced.get(id) ?? '') + token)
          } else if (s.kind === 'tick') {
            vi.advanceTimersByTime(s.ms)
          } else if (s.kind === 'release') {
            await settle()
          } else if (s.kind === 'end') {
            const id = `s${s.stream}`
            if (!ended.has(id) && produced.has(id)) {
              hub.end(id)
              if (source === 'journal') buffer.record([{ stream: id, from: hub.next(id), tokens: [], done: true }])
              ended.add(id)
            }
          } else {
            ;(stop as (() => void) | null)?.()
            stop = null
            const cursor = Object.fromEntries(Object.entries(reader.cursor()).map(([id, next]) => [id, Math.max(0, next - s.lag)]))
            subscribe(cursor)
          }
        }
        vi.advanceTimersByTime(30)
        await settle()
        hub.close()
        for (const [id, text] of produced) {
          expect(reader.get(id)).toMatchObject({ text, missing: 0, done: ended.has(id) })
        }
        // Each subscription got each stream's tokens once, in order, from its cursor on.
        for (const { cursor, seen } of subscriptions) {
          for (const [id, seqs] of seen) {
            const first = cursor[id] ?? 0
            expect(seqs).toEqual(seqs.map((_, i) => first + i))
          }
        }
      }),
      { numRuns: 200 }
    )
  })
})
