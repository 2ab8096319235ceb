import type { Discussion } from '../schema/index.js'

/** What an annotation record says about the comment it belongs to. */
export interface AlignableRecord {
  position: number
  comment_index?: number | null
  quoted_text: string | null
  quoted_author: string | null
}

/**
 * Finds the comment each record of one annotation file belongs to, as an index (null = no match).
 *
 * Legacy annotation files list the annotated messages in discussion order, skipping the ones the
 * annotator was told to leave out (moderator comments), and quote each message instead of naming
 * it. So records are matched in order to the next comment whose text (or, for SynDisco ≥2.1,
 * author) agrees: a subsequence alignment that never reorders, and duplicate texts in a discussion
 * resolve by position rather than by a text join.
 */
export function alignAnnotations(discussion: Discussion, records: readonly AlignableRecord[]): (number | null)[] {
  const ordered = [...records].sort((a, b) => a.position - b.position)
  const result = new Map<number, number | null>()
  let next = 0
  for (const record of ordered) {
    if (record.comment_index !== undefined && record.comment_index !== null) {
      const exists = record.comment_index < discussion.comments.length
      result.set(record.position, exists ? record.comment_index : null)
      continue
    }
    let found: number | null = null
    for (let index = next; index < discussion.comments.length; index++) {
      const comment = discussion.comments[index]!
      const textAgrees = record.quoted_text === null || comment.raw_text === record.quoted_text
      const authorAgrees = record.quoted_author === null || comment.author === record.quoted_author
      if (textAgrees && authorAgrees) {
        found = index
        break
      }
    }
    result.set(record.position, found)
    if (found !== null) next = found + 1
  }
  return records.map((record) => result.get(record.position) ?? null)
}
