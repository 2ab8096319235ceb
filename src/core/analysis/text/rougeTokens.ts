const WORD = /[\p{L}\p{N}]+/gu
const ASCII_WORD = /[a-z0-9]+/g
const BEYOND_PRINTABLE_ASCII = /[^ -~\t\n\r]/

/**
 * Lowercase word tokens for ROUGE: runs of letters and digits, everything else a separator. This
 * is Google's `rouge_score` tokenizer (lowercase, split on non-alphanumerics, no stemming, as
 * SDF's evaluation used it) except that letters outside ASCII count as letters instead of being
 * dropped, so Greek or accented comments are not scored as empty.
 */
export function rougeTokens(text: string): string[] {
  const lower = text.toLowerCase()
  // The Unicode-aware pattern is several times slower; plain ASCII text does not need it.
  return (BEYOND_PRINTABLE_ASCII.test(lower) ? lower.match(WORD) : lower.match(ASCII_WORD)) ?? []
}
