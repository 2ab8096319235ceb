const WORD_CHAR = '[\\p{L}\\p{N}_]'

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

/**
 * Whether a comment addresses the moderator: ignoring case, it contains `@moderator`, or the
 * moderator's name with or without a leading `@`, as a whole word — not directly preceded or followed
 * by a letter, digit or underscore. So for a moderator named "Mod_Ann", "@Mod_Ann, please" and "thanks
 * mod_ann!" count; "Mod_Anne", "@moderators" and "x@moderator" do not. With SDF's default name
 * "moderator", the plain word "moderator" counts too, because it is the name.
 */
export function isModeratorAddressed(text: string, moderatorName: string): boolean {
  const names = [`@moderator`, `@?${escapeRegExp(moderatorName)}`]
  const pattern = new RegExp(`(?<!${WORD_CHAR})(?:${names.join('|')})(?!${WORD_CHAR})`, 'iu')
  return pattern.test(text)
}
