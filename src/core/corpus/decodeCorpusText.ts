export interface DecodedCorpusText {
  /** The text with line endings made `\n` (CRLF files, and CRLF inside quoted fields). */
  text: string
  /** True when some bytes were not UTF-8 and were decoded as U+FFFD. */
  replacedBytes: boolean
}

/**
 * Bytes to text without ever failing: UTF-8 (a BOM is dropped), or UTF-16 when the file starts with
 * a UTF-16 byte-order mark (Excel's "Unicode text"). Invalid UTF-8 is replaced rather than
 * rejected, so one mangled comment does not cost the whole corpus; the caller reports the rows.
 */
export function decodeCorpusText(bytes: Uint8Array): DecodedCorpusText {
  let text: string
  let replacedBytes = false
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes)
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be').decode(bytes)
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    } catch {
      text = new TextDecoder('utf-8').decode(bytes)
      replacedBytes = true
    }
  }
  return { text: text.replace(/\r\n/g, '\n'), replacedBytes }
}
