import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { TokenCoalescer, type TokenBatch } from '../../../src/shared/index.js'

describe('TokenCoalescer', () => {
  let flushes: TokenBatch[][]
  let coalescer: TokenCoalescer

  beforeEach(() => {
    vi.useFakeTimers()
    flushes = []
    coalescer = new TokenCoalescer((batches) => flushes.push(batches), 30)
  })

  afterEach(() => {
    vi.useRealTimers()
  })

  it('numbers the tokens of each stream from 0, independently of other streams', () => {
    expect(coalescer.push('a', 'x')).toBe(0)
    expect(coalescer.push('a', 'y', 'z')).toBe(1)
    expect(coalescer.push('b', 'q')).toBe(0)
    expect(coalescer.next('a')).toBe(3)
    expect(coalescer.next('never-seen')).toBe(0)
  })

  it('sends nothing before the window ends, then one flush with one batch per stream that moved', () => {
    coalescer.push('a', 'x')
    vi.advanceTimersByTime(10)
    coalescer.push('b', 'q')
    coalescer.push('a', 'y')
    vi.advanceTimersByTime(19)
    expect(flushes).toEqual([])
    vi.advanceTimersByTime(1)
    expect(flushes).toEqual([
      [
        { stream: 'a', from: 0, tokens: ['x', 'y'], done: false },
        { stream: 'b', from: 0, tokens: ['q'], done: false }
      ]
    ])
  })

  it('opens the next window with the next token, and sends nothing while idle', () => {
    coalescer.push('a', 'x')
    vi.advanceTimersByTime(30)
    vi.advanceTimersByTime(300)
    expect(flushes).toHaveLength(1)
    coalescer.push('a', 'y')
    vi.advanceTimersByTime(30)
    expect(flushes[1]).toEqual([{ stream: 'a', from: 1, tokens: ['y'], done: false }])
  })

  it('keeps up with a fast stream at about one flush per window', () => {
    for (let ms = 0; ms < 300; ms++) {
      coalescer.push('fast', `t${ms}`)
      vi.advanceTimersByTime(1)
    }
    expect(flushes.length).toBeGreaterThanOrEqual(9)
    expect(flushes.length).toBeLessThanOrEqual(10)
    expect(flushes.flat().flatMap((batch) => batch.tokens)).toHaveLength(300)
  })

  it('marks the last batch done, also when the stream ends with nothing pending', () => {
    coalescer.push('a', 'x')
    coalescer.end('a')
    coalescer.push('b', 'q')
    vi.advanceTimersByTime(30)
    coalescer.end('b')
    vi.advanceTimersByTime(30)
    expect(flushes).toEqual([
      [
        { stream: 'a', from: 0, tokens: ['x'], done: true },
        { stream: 'b', from: 0, tokens: ['q'], done: false }
      ],
      [{ stream: 'b', from: 1, tokens: [], done: true }]
    ])
  })

  it('refuses tokens for an ended stream: ids are never reused', () => {
    coalescer.end('a')
    expect(() => coalescer.push('a', 'late')).toThrow(/has ended/)
  })

  it('flushes at once on demand', () => {
    coalescer.push('a', 'x')
    coalescer.flush()
    expect(flushes).toHaveLength(1)
    vi.advanceTimersByTime(30)
    expect(flushes).toHaveLength(1)
  })
})
