const MENTION = /@[\p{L}\p{N}_]+/gu
const ASCII_MENTION = /@[A-Za-z0-9_]+/g
const BEYOND_PRINTABLE_ASCII = /[^ -~\t\n\r]/

/**
 * Drops `@username` mentions. Agents address each other by name, so two comments that only share
 * the names they reply to would otherwise look alike to ROUGE (SDF's diversity analysis did this).
 */
export function removeMentions(text: string): string {
  if (!text.includes('@')) return text
  return text.replace(BEYOND_PRINTABLE_ASCII.test(text) ? MENTION : ASCII_MENTION, ' ')
}
