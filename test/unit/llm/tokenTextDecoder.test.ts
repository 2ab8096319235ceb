import { describe, expect, it } from 'vitest'
import { TokenTextDecoder } from '../../../src/core/llm/index.js'

/** A byte-level fake tokenizer: token n is byte n, decoded as UTF-8 like llama.cpp does. */
const bytes = (tokens: readonly number[]) => Buffer.from(tokens).toString('utf8')
const encode = (text: string) => [...Buffer.from(text, 'utf8')]

describe('TokenTextDecoder', () => {
  it('streams plain text token by token', () => {
    const decoder = new TokenTextDecoder(bytes)
    expect(encode('hi!').map((token) => decoder.push(token))).toEqual(['h', 'i', '!'])
  })

  it('holds a character split over byte tokens until it is complete', () => {
    const decoder = new TokenTextDecoder(bytes)
    const pieces = encode('a€b').map((token) => decoder.push(token))
    expect(pieces).toEqual(['a', '', '', '€', 'b'])
    expect(pieces.join('')).toBe('a€b')
  })

  it('lets invalid UTF-8 through after four tokens instead of holding it forever', () => {
    const decoder = new TokenTextDecoder(bytes)
    const pieces = [0xe2, 0xe2, 0xe2, 0xe2].map((token) => decoder.push(token))
    expect(pieces.slice(0, 3)).toEqual(['', '', ''])
    expect(pieces[3]).toContain('\uFFFD')
  })

  it('flushes what is still held at the end', () => {
    const decoder = new TokenTextDecoder(bytes)
    decoder.push(0xe2)
    expect(decoder.flush()).toBe('\uFFFD')
    expect(decoder.flush()).toBe('')
  })

  it('passes the last three tokens as context, starting with the prompt (SentencePiece needs them for spaces)', () => {
    const contexts: number[][] = []
    const decoder = new TokenTextDecoder<number>((tokens, context) => {
      contexts.push([...context])
      return String(tokens.length)
    }, [1, 2, 3, 4])
    decoder.push(5)
    decoder.push(6)
    expect(contexts).toEqual([
      [2, 3, 4],
      [3, 4, 5]
    ])
  })
})
