import { describe, expect, it } from 'vitest'
import { RunEventLog, RunEventReader, type RunEventPayload, type SequencedRunEvent } from '../../../src/shared/index.js'

function payload(kind: RunEventPayload['kind'], discussionId: string | null = 'd1'): RunEventPayload {
  return { kind, runId: 'r1', discussionId, step: null, comment: null, reason: null, progress: { total: 1, finished: 0, failed: 0, cancelled: 0, pending: 1 } }
}

describe('the run event log and reader', () => {
  it('numbers events from 0; a subscriber without a cursor gets live events only', () => {
    const log = new RunEventLog({ epoch: 'e1' })
    log.publish(payload('discussion-started'))
    const got: SequencedRunEvent[] = []
    log.subscribe((event) => got.push(event))
    log.publish(payload('step'))
    expect(got.map((event) => [event.seq, event.kind, event.epoch])).toEqual([[1, 'step', 'e1']])
    expect(log.next).toBe(2)
  })

  it('a subscriber that comes back with its cursor gets exactly what it missed, then live ones, each once', () => {
    const log = new RunEventLog({ epoch: 'e1' })
    const reader = new RunEventReader()
    const seen: number[] = []
    const take = (event: SequencedRunEvent) => reader.accept(event) && seen.push(event.seq)
    const stop = log.subscribe(take, { epoch: 'e1', next: 0 })
    log.publish(payload('discussion-started'))
    log.publish(payload('step'))
    stop()
    log.publish(payload('comment'))
    log.publish(payload('step'))
    log.subscribe(take, reader.cursor())
    log.publish(payload('discussion-finished'))
    expect(seen).toEqual([0, 1, 2, 3, 4])
    expect(reader.missing).toBe(0)
    // A replay overlapping what the reader has is ignored by the reader.
    log.subscribe(take, { epoch: 'e1', next: 0 })
    expect(seen).toEqual([0, 1, 2, 3, 4])
  })

  it('after a host restart (another epoch) the reader takes the new numbering; events the host dropped count as missing', () => {
    const log = new RunEventLog({ epoch: 'e2', maxEvents: 4 })
    for (let i = 0; i < 20; i++) log.publish(payload('step'))
    const reader = new RunEventReader()
    reader.startAt({ epoch: 'e2', next: 2 })
    log.subscribe((event) => reader.accept(event), reader.cursor())
    expect(reader.missing).toBeGreaterThan(0)
    expect(reader.cursor()).toEqual({ epoch: 'e2', next: 20 })

    const restarted = new RunEventLog({ epoch: 'e3' })
    restarted.publish(payload('discussion-started'))
    const seen: number[] = []
    restarted.subscribe((event) => reader.accept(event) && seen.push(event.seq), reader.cursor())
    expect(seen).toEqual([0])
    expect(reader.cursor()).toEqual({ epoch: 'e3', next: 1 })
  })

  it('drops a subscriber whose send throws, without affecting the others', () => {
    const log = new RunEventLog()
    const got: number[] = []
    log.subscribe(() => {
      throw new Error('broken channel')
    })
    log.subscribe((event) => got.push(event.seq))
    log.publish(payload('step'))
    log.publish(payload('step'))
    expect(got).toEqual([0, 1])
    expect(log.subscriberCount).toBe(1)
  })
})
