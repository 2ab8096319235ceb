import { describe, expect, it } from 'vitest'
import { ReplayBuffer } from '../../../src/shared/index.js'

describe('ReplayBuffer', () => {
  it('replays each stream from the cursor, or from the start for streams the cursor does not name', () => {
    const buffer = new ReplayBuffer()
    buffer.record([
      { stream: 'a', from: 0, tokens: ['a0', 'a1'], done: false },
      { stream: 'b', from: 0, tokens: ['b0'], done: false }
    ])
    buffer.record([{ stream: 'a', from: 2, tokens: ['a2'], done: true }])
    expect(buffer.read({ a: 1 })).toEqual([
      { stream: 'a', from: 1, tokens: ['a1', 'a2'], done: true },
      { stream: 'b', from: 0, tokens: ['b0'], done: false }
    ])
  })

  it('tells a reader that has every token of a finished stream only that it is done', () => {
    const buffer = new ReplayBuffer()
    buffer.record([{ stream: 'a', from: 0, tokens: ['x'], done: true }])
    expect(buffer.read({ a: 1 })).toEqual([{ stream: 'a', from: 1, tokens: [], done: true }])
    buffer.record([{ stream: 'b', from: 0, tokens: ['x'], done: false }])
    expect(buffer.read({ a: 1, b: 1 })).toEqual([{ stream: 'a', from: 1, tokens: [], done: true }])
  })

  it('keeps a bounded number of recent tokens per stream', () => {
    const buffer = new ReplayBuffer({ maxTokensPerStream: 8 })
    for (let i = 0; i < 100; i++) buffer.record([{ stream: 'a', from: i, tokens: [`t${i}`], done: false }])
    const [replayed] = buffer.read({})
    expect(replayed?.tokens.length).toBeGreaterThanOrEqual(8)
    expect(replayed?.tokens.length).toBeLessThanOrEqual(10)
    expect(replayed?.tokens.at(-1)).toBe('t99')
    expect(replayed?.from).toBe(100 - (replayed?.tokens.length ?? 0))
  })

  it('drops finished streams first when it holds too many', () => {
    const buffer = new ReplayBuffer({ maxStreams: 2 })
    buffer.record([{ stream: 'live', from: 0, tokens: ['x'], done: false }])
    buffer.record([{ stream: 'finished', from: 0, tokens: ['x'], done: true }])
    buffer.record([{ stream: 'new', from: 0, tokens: ['x'], done: false }])
    expect(buffer.read({}).map((batch) => batch.stream)).toEqual(['live', 'new'])
  })

  it('ignores a re-recorded overlap and restarts after a gap', () => {
    const buffer = new ReplayBuffer()
    buffer.record([{ stream: 'a', from: 0, tokens: ['0', '1'], done: false }])
    buffer.record([{ stream: 'a', from: 1, tokens: ['1', '2'], done: false }])
    expect(buffer.read({})[0]?.tokens).toEqual(['0', '1', '2'])
    buffer.record([{ stream: 'a', from: 10, tokens: ['10'], done: false }])
    expect(buffer.read({})[0]).toMatchObject({ from: 10, tokens: ['10'] })
  })
})
