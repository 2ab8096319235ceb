import { describe, expect, it } from 'vitest'
import { addSample, etaSeconds, formatBytes, formatDuration, formatRate, tokensPerSecond } from '../../../../src/renderer/src/results/throughput.js'

describe('tokens per second of a live stream', () => {
  it('is unknown until two samples span some time', () => {
    expect(tokensPerSecond([])).toBeNull()
    expect(tokensPerSecond([{ atMs: 0, tokens: 5 }])).toBeNull()
    expect(tokensPerSecond([{ atMs: 10, tokens: 5 }, { atMs: 10, tokens: 9 }])).toBeNull()
  })

  it('divides the tokens gained by the time between the oldest sample in the window and the newest', () => {
    const samples = [
      { atMs: 0, tokens: 0 },
      { atMs: 1000, tokens: 10 },
      { atMs: 2000, tokens: 30 }
    ]
    expect(tokensPerSecond(samples)).toBe(15)
    // With a 1 s window only the last second counts.
    expect(tokensPerSecond(samples, 1000)).toBe(20)
  })

  it('keeps only the samples the window needs, plus the one just before it', () => {
    let samples = [{ atMs: 0, tokens: 0 }]
    for (let t = 1000; t <= 10_000; t += 1000) samples = addSample(samples, { atMs: t, tokens: t / 100 }, 3000)
    expect(samples.map((sample) => sample.atMs)).toEqual([7000, 8000, 9000, 10_000])
    expect(tokensPerSecond(samples, 3000)).toBe(10)
  })
})

describe('the ETA of a run', () => {
  it('extrapolates from the discussions that ended', () => {
    expect(etaSeconds({ total: 10, ended: 2 }, 60_000)).toBe(240)
  })

  it('is unknown before anything ended and after everything did', () => {
    expect(etaSeconds({ total: 10, ended: 0 }, 60_000)).toBeNull()
    expect(etaSeconds({ total: 3, ended: 3 }, 60_000)).toBeNull()
  })
})

describe('formatting', () => {
  it('writes durations in seconds, minutes or hours', () => {
    expect(formatDuration(null)).toBe('—')
    expect(formatDuration(12.4)).toBe('12 s')
    expect(formatDuration(185)).toBe('3 min 05 s')
    expect(formatDuration(3720)).toBe('1 h 02 min')
  })

  it('writes rates and sizes', () => {
    expect(formatRate(null)).toBe('—')
    expect(formatRate(12.345)).toBe('12.3 tok/s')
    expect(formatRate(250.4)).toBe('250 tok/s')
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1536)).toBe('1.5 KiB')
    expect(formatBytes(4.5 * 1024 ** 3)).toBe('4.5 GiB')
    expect(formatBytes(null)).toBe('—')
  })
})
