import type { AnnotatorSpec, Comment, Discussion } from '../schema/index.js'

export interface AnnotationTarget {
  comment: Comment
  /** The comments the annotator sees, oldest first, ending with `comment`. */
  window: Comment[]
}

/**
 * The comments to annotate and what the annotator sees with each: a sliding window of the last N
 * comments ending with the one annotated, as SDF did. Moderator comments are left out by their
 * role (never by a substring of the name, SDF's bug): when excluded they are neither annotated nor
 * shown, which is also what SDF did, and is why its help text warned that excluding them changes
 * what the annotator sees of the users' comments.
 */
export function annotationTargets(spec: AnnotatorSpec, discussion: Discussion): AnnotationTarget[] {
  const visible = discussion.comments.filter(
    (comment) => spec.context.include_moderator_comments || comment.role !== 'moderator'
  )
  return visible.map((comment, position) => ({
    comment,
    window: visible.slice(Math.max(0, position + 1 - spec.context.history), position + 1)
  }))
}
