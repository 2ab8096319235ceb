import { describe, expect, it } from 'vitest'
import { pythonTextwrapFill, pythonTextwrapWrap } from '../../../src/core/index.js'

/**
 * Expected outputs are CPython 3.11's `textwrap.fill(text, 70)`, computed once and pasted here; the
 * implementation also matched CPython on ~12,000 random strings (spaces, tabs, CR/LF, hyphens,
 * em-dashes, digits, accents, no-break spaces, emoji) at widths 1–70 while it was written.
 */
const CASES: [name: string, text: string, filled: string][] = [
  ['empty text', '', ''],
  ['blank text', ' \n\t ', ''],
  ['a short line', 'Hello world', 'Hello world'],
  ['a word longer than the width', 'a'.repeat(75), `${'a'.repeat(70)}\naaaaa`],
  [
    'a long hyphenated word, cut after its last fitting hyphen',
    'well-known-thing'.repeat(6),
    'well-known-thingwell-known-thingwell-known-thingwell-known-thingwell-\nknown-thingwell-known-thing'
  ],
  [
    'a hyphenated compound at the end of a line',
    `${'x'.repeat(60)} self-contained words`,
    `${'x'.repeat(60)} self-\ncontained words`
  ],
  ['hyphens with no other character before them', '-'.repeat(80), `${'-'.repeat(70)}\n${'-'.repeat(10)}`],
  ['leading spaces on the first line', '   leading spaces stay', '   leading spaces stay'],
  ['runs of spaces inside a line', 'multiple     spaces   inside', 'multiple     spaces   inside'],
  ['newlines, carriage returns and a blank line', 'line one\nline two\r\n\nline three', 'line one line two   line three'],
  ['a tab expanded to the next multiple of 8', 'ab\tcd', 'ab      cd'],
  [
    'an em-dash between words',
    `${'word '.repeat(12)}foo--bar baz`,
    `${'word '.repeat(11)}word foo--bar\nbaz`
  ],
  ['digits joined by hyphens', `${'n '.repeat(33)}1-2-3-4-5`, `${'n '.repeat(32)}n\n1-2-3-4-5`],
  ['exactly seventy characters', 'y'.repeat(70), 'y'.repeat(70)],
  ['seventy-one characters with a space', `${'y'.repeat(35)} ${'z'.repeat(35)}`, `${'y'.repeat(35)}\n${'z'.repeat(35)}`],
  ['trailing spaces and a newline', 'ends with spaces   \n', 'ends with spaces'],
  ['non-ASCII letters counted as one each', `${'é'.repeat(69)} ab`, `${'é'.repeat(69)}\nab`],
  ['emoji counted as one code point each', `${'😀'.repeat(69)} ab`, `${'😀'.repeat(69)}\nab`],
  ['a no-break space is not a word separator', 'word\u00a0'.repeat(14), 'word\u00a0'.repeat(14)],
  ['a word starting with a hyphen', `${'x '.repeat(34)}-option and more`, `${'x '.repeat(33)}x\n-option and more`]
]

describe("Python's textwrap.fill(text, 70)", () => {
  it.each(CASES)('wraps %s exactly as CPython does', (_name, text, filled) => {
    expect(pythonTextwrapFill(text)).toBe(filled)
  })

  it('wraps at other widths too, and rejects a width below 1', () => {
    expect(pythonTextwrapWrap('the quick brown fox', 10)).toEqual(['the quick', 'brown fox'])
    expect(pythonTextwrapWrap('abc', 1)).toEqual(['a', 'b', 'c'])
    expect(() => pythonTextwrapFill('x', 0)).toThrow(/invalid width/)
  })

  it('wraps a real SDF topic the way the original history showed it', () => {
    const topic =
      "Are you high??? Selling someone a cake? Refusing to sell some a cake because it is for a gay wedding is no different from selling someone a cake because it is for a mixed race wedding.\n"
    expect(pythonTextwrapFill(topic)).toBe(
      'Are you high??? Selling someone a cake? Refusing to sell some a cake\n' +
        'because it is for a gay wedding is no different from selling someone a\n' +
        'cake because it is for a mixed race wedding.'
    )
  })
})
