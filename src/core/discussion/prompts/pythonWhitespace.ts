/**
 * Python's `str.isspace()` set (bidi types WS, B, S and category Zs). It is wider than JavaScript's
 * `trim()` set in places (U+001C–U+001F, U+0085) and narrower in others (U+FEFF), and SDF decided
 * blank replies with Python's `strip()`.
 */
const PYTHON_SPACE = new Set<number>([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680,
  0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
  0x2028, 0x2029, 0x202f, 0x205f, 0x3000
])

export function isPythonSpace(char: string): boolean {
  return char.length === 1 && PYTHON_SPACE.has(char.charCodeAt(0))
}

/** Python's `text.strip()` with no arguments. */
export function pythonStrip(text: string): string {
  let start = 0
  let end = text.length
  while (start < end && isPythonSpace(text[start] as string)) start += 1
  while (end > start && isPythonSpace(text[end - 1] as string)) end -= 1
  return text.slice(start, end)
}

/** Python's `text.strip() == ""`: how SDF decided that a reply was silent. */
export function isPythonBlank(text: string): boolean {
  return pythonStrip(text) === ''
}
