const ONLY_QUOTES_AND_SPACE = /^[\s"'`“”‘’«»]*$/u

/**
 * True for a turn in which the agent said nothing: an empty text, or only quotation marks. Models
 * asked to stay silent often answer `""`, which SDF's evaluation counted as no comment.
 */
export function isSilentText(text: string): boolean {
  return ONLY_QUOTES_AND_SPACE.test(text)
}
