const WORD_CHAR = '[\\p{L}\\p{N}_]'
/** Before a mention, "@" also counts as part of a word: `x@moderator` is an address, not a mention. */
const WORD_CHAR_OR_AT = '[\\p{L}\\p{N}_@]'

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

/**
 * Whether a comment addresses the moderator: ignoring case, it contains `@moderator`, or the
 * moderator's name with or without a leading `@`, as a whole word — not directly followed by a
 * letter, digit or underscore, and not directly preceded by one of those or by `@`. So for a
 * moderator named "Mod_Ann", "@Mod_Ann, please" and "thanks mod_ann!" count; "Mod_Anne",
 * "@moderators" and "x@moderator" do not. With SDF's default name "moderator", the plain word
 * "moderator" counts too, because it is the name.
 */
export function isModeratorAddressed(text: string, moderatorName: string): boolean {
  const names = [`@moderator`, `@?${escapeRegExp(moderatorName)}`]
  const pattern = new RegExp(`(?<!${WORD_CHAR_OR_AT})(?:${names.join('|')})(?!${WORD_CHAR})`, 'iu')
  return pattern.test(text)
}
