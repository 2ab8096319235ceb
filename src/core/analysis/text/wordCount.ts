/** Whitespace-separated words, as Python's `len(text.split())` that SDF's length analysis used. */
export function wordCount(text: string): number {
  let count = 0
  let inWord = false
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    // Python's str.split() separators: ASCII whitespace, \x1c-\x1f, \x85, \xa0 and Unicode spaces.
    const space =
      code === 32 || (code >= 9 && code <= 13) || (code >= 0x1c && code <= 0x1f) || code === 0x85 || code === 0xa0 ||
      code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 ||
      code === 0x202f || code === 0x205f || code === 0x3000
    if (space) inWord = false
    else if (!inWord) {
      inWord = true
      count += 1
    }
  }
  return count
}
