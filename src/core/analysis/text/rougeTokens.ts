const WORD = /[\p{L}\p{N}]+/gu

/**
 * Lowercase word tokens for ROUGE: runs of letters and digits, everything else a separator. This
 * is Google's `rouge_score` tokenizer (lowercase, split on non-alphanumerics, no stemming, as
 * SDF's evaluation used it) except that letters outside ASCII count as letters instead of being
 * dropped, so Greek or accented comments are not scored as empty.
 */
export function rougeTokens(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? []
}
