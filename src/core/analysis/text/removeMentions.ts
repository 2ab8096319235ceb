const MENTION = /@[\p{L}\p{N}_]+/gu

/**
 * Drops `@username` mentions. Agents address each other by name, so two comments that only share
 * the names they reply to would otherwise look alike to ROUGE (SDF's diversity analysis did this).
 */
export function removeMentions(text: string): string {
  return text.replace(MENTION, ' ')
}
