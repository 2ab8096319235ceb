import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { StopStringMatcher } from '../../../src/core/llm/index.js'

const SDF_STOPS = ['###', '\n\n', 'User']

function feed(stops: string[], pieces: string[]) {
  const matcher = new StopStringMatcher(stops)
  let text = ''
  let stopped = false
  for (const piece of pieces) {
    const result = matcher.push(piece)
    text += result.emit
    if (result.stopped) {
      stopped = true
      break
    }
  }
  if (!stopped) text += matcher.flush()
  return { text, stopped }
}

/** What llama-cpp-python returns: everything before the first occurrence of any stop string. */
function cutAtFirstStop(text: string, stops: string[]) {
  const indices = stops.map((stop) => text.indexOf(stop)).filter((index) => index !== -1)
  return indices.length === 0 ? { text, stopped: false } : { text: text.slice(0, Math.min(...indices)), stopped: true }
}

describe('StopStringMatcher', () => {
  it('cuts the text at the first stop string and drops the stop string', () => {
    expect(feed(SDF_STOPS, ['Hello there', '\n\nmore'])).toEqual({ text: 'Hello there', stopped: true })
  })

  it('finds a stop string split across pieces', () => {
    expect(feed(SDF_STOPS, ['I agree. #', '#', '# Instruction'])).toEqual({ text: 'I agree. ', stopped: true })
    expect(feed(SDF_STOPS, ['Us', 'e', 'rs are right'])).toEqual({ text: '', stopped: true })
  })

  it('is case-sensitive, as SDF was ("user" does not stop)', () => {
    expect(feed(SDF_STOPS, ['the user said'])).toEqual({ text: 'the user said', stopped: false })
  })

  it('holds back only what could still become a stop string, and releases it when it does not', () => {
    const matcher = new StopStringMatcher(SDF_STOPS)
    expect(matcher.push('a line\n')).toEqual({ emit: 'a line', stopped: false })
    expect(matcher.push('next')).toEqual({ emit: '\nnext', stopped: false })
    expect(matcher.push('##')).toEqual({ emit: '', stopped: false })
    expect(matcher.flush()).toBe('##')
  })

  it('emits nothing after it has stopped', () => {
    const matcher = new StopStringMatcher(['END'])
    matcher.push('done END')
    expect(matcher.push('more')).toEqual({ emit: '', stopped: true })
    expect(matcher.hasStopped).toBe(true)
  })

  it('with no stop strings passes everything through at once', () => {
    expect(new StopStringMatcher([]).push('###\n\nUser')).toEqual({ emit: '###\n\nUser', stopped: false })
  })

  it('for any split of any text gives exactly what cutting the whole text would', () => {
    const alphabet = fc.constantFrom('#', '\n', 'U', 's', 'e', 'r', 'a', ' ')
    fc.assert(
      fc.property(fc.array(fc.string({ unit: alphabet, maxLength: 8 }), { maxLength: 12 }), (pieces) => {
        expect(feed(SDF_STOPS, pieces)).toEqual(cutAtFirstStop(pieces.join(''), SDF_STOPS))
      })
    )
  })
})
