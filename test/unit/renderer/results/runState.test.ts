import { describe, expect, it } from 'vitest'
import type { RunEventPayload } from '../../../../src/shared/index.js'
import { applyRunEvent, applyRunStatus, endedCount, seedRun } from '../../../../src/renderer/src/results/runState.js'

const progress = { total: 2, finished: 0, failed: 0, cancelled: 0, pending: 2 }

function event(kind: RunEventPayload['kind'], extra: Partial<RunEventPayload> & { speaker?: string } = {}): RunEventPayload & { speaker?: string } {
  return { kind, runId: 'r1', discussionId: 'd1', step: null, comment: null, reason: null, progress, ...extra }
}

describe('the live state of a run', () => {
  it('starts with every listed discussion queued', () => {
    const run = seedRun('r1', ['d1', 'd2'], 0)
    expect(run.order).toEqual(['d1', 'd2'])
    expect(run.discussions['d2']?.phase).toBe('queued')
  })

  it('follows a discussion through start, turns, comments, pause, resume and end', () => {
    let run = seedRun('r1', ['d1', 'd2'], 0)
    run = applyRunEvent(run, event('discussion-started'), 1)
    expect(run.discussions['d1']?.phase).toBe('running')
    run = applyRunEvent(run, event('turn-started', { step: 0, speaker: 'Ann' }), 2)
    expect(run.discussions['d1']).toMatchObject({ step: 0, speaker: 'Ann' })
    run = applyRunEvent(run, event('comment', { comment: { author: 'Bob', text: 'hi' } }), 3)
    expect(run.discussions['d1']).toMatchObject({ speaker: 'Bob', comments: 1 })
    run = applyRunEvent(run, event('discussion-paused'), 4)
    expect(run.discussions['d1']?.phase).toBe('paused')
    run = applyRunEvent(run, event('discussion-resumed'), 5)
    expect(run.discussions['d1']?.phase).toBe('running')
    const done = { ...progress, finished: 1, pending: 1 }
    run = applyRunEvent(run, event('discussion-finished', { progress: done }), 6)
    expect(run.discussions['d1']?.phase).toBe('finished')
    expect(run.progress).toEqual(done)
    expect(run.discussions['d2']?.phase).toBe('queued')
  })

  it('adds a discussion it had not heard of, and keeps the reason of a failure', () => {
    const run = applyRunEvent(undefined, event('discussion-failed', { discussionId: 'd9', reason: 'model crashed' }), 0)
    expect(run.order).toEqual(['d9'])
    expect(run.discussions['d9']).toMatchObject({ phase: 'failed', reason: 'model crashed' })
  })

  it('marks the run finished on run-finished', () => {
    const run = applyRunEvent(seedRun('r1', ['d1'], 0), event('run-finished', { discussionId: null }), 1)
    expect(run.finished).toBe(true)
  })

  it('counts finished, failed and cancelled discussions as ended', () => {
    expect(endedCount({ total: 5, finished: 2, failed: 1, cancelled: 1, pending: 1 })).toBe(4)
    expect(endedCount(null)).toBe(0)
  })
})

describe('the host’s status of a run', () => {
  const status = {
    runId: 'r1',
    active: true,
    counts: { total: 2, finished: 1, failed: 0, cancelled: 0, pending: 1 },
    discussions: [
      { id: 'd2', state: 'running' as const, comments: 3, currentStep: 4, steps: 4, speaker: 'Cid', reason: null },
      { id: 'd1', state: 'finished' as const, comments: 6, currentStep: null, steps: 6, speaker: null, reason: null }
    ]
  }

  it('gives a page opened mid-run each discussion’s state, step and speaker, in the host’s order', () => {
    const run = applyRunStatus(undefined, status, 0)
    expect(run.order).toEqual(['d2', 'd1'])
    expect(run.discussions['d2']).toMatchObject({ phase: 'running', step: 4, speaker: 'Cid', comments: 3 })
    expect(run.discussions['d1']).toMatchObject({ phase: 'finished', step: 5 })
    expect(run.progress).toEqual(status.counts)
    expect(run.finished).toBe(false)
  })

  it('keeps the speaker and comments it already knew when the host has fewer', () => {
    let run = seedRun('r1', ['d1', 'd2'], 0)
    run = applyRunEvent(run, event('comment', { discussionId: 'd1', comment: { author: 'Ann' } }), 1)
    run = applyRunStatus(run, { ...status, discussions: [{ ...status.discussions[1]!, comments: 0 }] }, 2)
    expect(run.discussions['d1']).toMatchObject({ speaker: 'Ann', comments: 1, phase: 'finished' })
    expect(run.order).toEqual(['d1', 'd2'])
  })

  it('marks an inactive run with nothing pending as finished', () => {
    expect(applyRunStatus(undefined, { ...status, active: false, counts: { ...status.counts, finished: 2, pending: 0 } }, 0).finished).toBe(true)
  })
})
