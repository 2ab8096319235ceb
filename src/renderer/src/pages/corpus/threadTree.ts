/** Pixels a reply is indented per level; deep threads stop growing at 8 levels so text keeps its width. */
export const INDENT_PER_LEVEL = 24
export const MAX_INDENT_LEVELS = 8

/** How far a comment `depth` replies deep is indented. */
export function threadIndent(depth: number): number {
  return Math.min(Math.max(depth, 0), MAX_INDENT_LEVELS) * INDENT_PER_LEVEL
}
