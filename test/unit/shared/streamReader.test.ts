import { describe, expect, it } from 'vitest'
import { StreamReader } from '../../../src/shared/index.js'

describe('StreamReader', () => {
  it('joins the tokens of each stream in order and reports which streams changed', () => {
    const reader = new StreamReader()
    expect(reader.apply([{ stream: 'a', from: 0, tokens: ['he', 'llo'], done: false }])).toEqual(['a'])
    expect(reader.apply([{ stream: 'a', from: 2, tokens: [' world'], done: true }])).toEqual(['a'])
    expect(reader.get('a')).toEqual({ text: 'hello world', next: 3, done: true, missing: 0 })
  })

  it('applies a batch seen before as nothing, and an overlapping one only for its new part', () => {
    const reader = new StreamReader()
    const first = { stream: 'a', from: 0, tokens: ['a', 'b', 'c'], done: false }
    reader.apply([first])
    expect(reader.apply([first])).toEqual([])
    reader.apply([{ stream: 'a', from: 1, tokens: ['b', 'c', 'd'], done: false }])
    expect(reader.get('a')?.text).toBe('abcd')
  })

  it('counts tokens it never got instead of hiding the gap', () => {
    const reader = new StreamReader()
    reader.apply([{ stream: 'a', from: 0, tokens: ['a'], done: false }])
    reader.apply([{ stream: 'a', from: 5, tokens: ['f'], done: false }])
    expect(reader.get('a')).toMatchObject({ text: 'af', next: 6, missing: 4 })
  })

  it('hands out its position per stream as the cursor to resume from', () => {
    const reader = new StreamReader()
    reader.apply([
      { stream: 'a', from: 0, tokens: ['a', 'b'], done: false },
      { stream: 'b', from: 0, tokens: [], done: true }
    ])
    expect(reader.cursor()).toEqual({ a: 2, b: 0 })
    expect(reader.streamIds()).toEqual(['a', 'b'])
  })
})
