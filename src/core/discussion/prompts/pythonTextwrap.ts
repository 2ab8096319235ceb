import { isPythonBlank } from './pythonWhitespace.js'

/**
 * Python's `textwrap.fill(text, width)` with every default (CPython 3.10–3.13 `textwrap.py`):
 * `expand_tabs` (tabsize 8), `replace_whitespace`, `drop_whitespace`, `break_long_words`,
 * `break_on_hyphens`, no indents, no `max_lines`. SDF wrapped every history comment with it (spec
 * §2.2), so SDF-compatible prompts need its output byte for byte, quirks included: only the six ASCII
 * whitespace characters separate words, leading spaces survive on the first line, and lengths are
 * counted in code points.
 */
export function pythonTextwrapFill(text: string, width = 70): string {
  return pythonTextwrapWrap(text, width).join('\n')
}

/** `textwrap.wrap(text, width)`: the lines `fill` joins. */
export function pythonTextwrapWrap(text: string, width = 70): string[] {
  if (!Number.isInteger(width) || width <= 0) throw new RangeError(`invalid width ${width} (must be > 0)`)
  const chunks = splitChunks(replaceWhitespace(expandTabs(text, 8))).map((chunk) => Array.from(chunk))
  return wrapChunks(chunks, width)
}

/** Python's `str.expandtabs(tabsize)`: the column restarts after `\n` and `\r`. */
function expandTabs(text: string, tabsize: number): string {
  let out = ''
  let column = 0
  for (const char of text) {
    if (char === '\t') {
      const spaces = tabsize - (column % tabsize)
      out += ' '.repeat(spaces)
      column += spaces
    } else {
      out += char
      column = char === '\n' || char === '\r' ? 0 : column + 1
    }
  }
  return out
}

/** `_whitespace = '\t\n\x0b\x0c\r '`: only these become spaces (a no-break space stays). */
function replaceWhitespace(text: string): string {
  return text.replace(/[\t\n\v\f\r]/g, ' ')
}

// TextWrapper.wordsep_re, translated: Python's Unicode `\w` is letters, numbers and "_"; `[^\d\W]`
// is that without decimal digits; `\Z` is `$` without the m flag.
const WS = '[\\t\\n\\v\\f\\r ]'
const NWS = '[^\\t\\n\\v\\f\\r ]'
const WORD = '[\\p{L}\\p{N}_]'
const WORD_PUNCT = `[\\p{L}\\p{N}_!"'&.,?]`
const LETTER = '[\\p{L}\\p{Nl}\\p{No}_]'
const WORDSEP = new RegExp(
  [
    `${WS}+`,
    // an em-dash between words
    `(?<=${WORD_PUNCT})-{2,}(?=${WORD})`,
    // a word, possibly hyphenated
    `${NWS}+?(?:` +
      `-(?:(?<=${LETTER}{2}-)|(?<=${LETTER}-${LETTER}-))(?=${LETTER}-?${LETTER})` +
      `|(?=${WS}|$)` +
      `|(?<=${WORD_PUNCT})(?=-{2,}${WORD})` +
      ')'
  ].join('|'),
  'gu'
)

/** `re.split` with a capturing group keeps the separators; empty pieces are dropped, as `_split` does. */
function splitChunks(text: string): string[] {
  const chunks: string[] = []
  let at = 0
  for (const match of text.matchAll(WORDSEP)) {
    if (match.index > at) chunks.push(text.slice(at, match.index))
    if (match[0] !== '') chunks.push(match[0])
    at = match.index + match[0].length
  }
  if (at < text.length) chunks.push(text.slice(at))
  return chunks
}

type Chunk = string[]

const isBlankChunk = (chunk: Chunk): boolean => isPythonBlank(chunk.join(''))
const totalLength = (line: readonly Chunk[]): number => line.reduce((sum, chunk) => sum + chunk.length, 0)

/** `TextWrapper._wrap_chunks` without indents or `max_lines`; `chunks` is consumed. */
function wrapChunks(chunks: Chunk[], width: number): string[] {
  const lines: string[] = []
  const stack = chunks.reverse()
  while (stack.length > 0) {
    const line: Chunk[] = []
    let length = 0
    // Whitespace at the start of a line is dropped, except at the very start of the text.
    if (lines.length > 0 && isBlankChunk(stack[stack.length - 1] as Chunk)) stack.pop()
    while (stack.length > 0) {
      const next = stack[stack.length - 1] as Chunk
      if (length + next.length > width) break
      line.push(stack.pop() as Chunk)
      length += next.length
    }
    if (stack.length > 0 && (stack[stack.length - 1] as Chunk).length > width) {
      handleLongWord(stack, line, length, width)
      length = totalLength(line)
    }
    if (line.length > 0 && isBlankChunk(line[line.length - 1] as Chunk)) line.pop()
    if (line.length > 0) lines.push(line.map((chunk) => chunk.join('')).join(''))
  }
  return lines
}

/** `TextWrapper._handle_long_word` with `break_long_words` and `break_on_hyphens`. */
function handleLongWord(stack: Chunk[], line: Chunk[], length: number, width: number): void {
  const spaceLeft = width < 1 ? 1 : width - length
  const chunk = stack[stack.length - 1] as Chunk
  let end = spaceLeft
  if (chunk.length > spaceLeft) {
    // Break after the last hyphen that fits, but only if something other than hyphens precedes it.
    const hyphen = chunk.slice(0, spaceLeft).lastIndexOf('-')
    if (hyphen > 0 && chunk.slice(0, hyphen).some((char) => char !== '-')) end = hyphen + 1
  }
  line.push(chunk.slice(0, end))
  stack[stack.length - 1] = chunk.slice(end)
}
