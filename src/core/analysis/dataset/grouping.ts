import { z } from 'zod'
import type { AnalysisComment, AnalysisDiscussion } from './analysisDataset.js'

/** The group label used when a discussion or comment has no value for the grouping. */
export const NO_GROUP = '(none)'

/** How discussion-level results (rates, diversity) are grouped. */
export const DiscussionGroupingSchema = z.discriminatedUnion('by', [
  z.object({ by: z.literal('none') }),
  /** A design factor of `discussion.conditions`, e.g. `conv_variant` or `moderator_instructions`. */
  z.object({ by: z.literal('condition'), key: z.string().min(1) }),
  /** The model that wrote the discussion's comments (or "mixed" when several did). */
  z.object({ by: z.literal('model') })
])
export type DiscussionGrouping = z.infer<typeof DiscussionGroupingSchema>

/** How comment-level results (label means, lengths) are grouped. */
export const CommentGroupingSchema = z.discriminatedUnion('by', [
  z.object({ by: z.literal('none') }),
  z.object({ by: z.literal('condition'), key: z.string().min(1) }),
  /** The comment's own model. */
  z.object({ by: z.literal('model') }),
  /** user, moderator or seed */
  z.object({ by: z.literal('role') }),
  /** A persona attribute of the comment's author: an SDF field or an extra attribute. */
  z.object({ by: z.literal('persona'), field: z.string().min(1) })
])
export type CommentGrouping = z.infer<typeof CommentGroupingSchema>

export function discussionGroup(
  discussion: AnalysisDiscussion,
  grouping: DiscussionGrouping,
  /** The comments whose model names the discussion's model (say, only the moderator's). */
  modelComments: readonly AnalysisComment[] = discussion.comments.filter((comment) => comment.role !== 'seed')
): string {
  switch (grouping.by) {
    case 'none':
      return 'all'
    case 'condition':
      return discussion.conditions[grouping.key] ?? NO_GROUP
    case 'model': {
      const models = new Set(modelComments.map((comment) => comment.model ?? NO_GROUP))
      if (models.size === 0) return NO_GROUP
      return models.size === 1 ? [...models][0]! : 'mixed'
    }
  }
}

export function commentGroup(discussion: AnalysisDiscussion, comment: AnalysisComment, grouping: CommentGrouping): string {
  switch (grouping.by) {
    case 'none':
      return 'all'
    case 'condition':
      return discussion.conditions[grouping.key] ?? NO_GROUP
    case 'model':
      return comment.model ?? NO_GROUP
    case 'role':
      return comment.role
    case 'persona': {
      const participant = discussion.participants.find((candidate) => candidate.username === comment.author)
      if (!participant) return NO_GROUP
      const persona = participant.persona as unknown as Record<string, unknown>
      const value = grouping.field in persona && grouping.field !== 'extra_attributes'
        ? persona[grouping.field]
        : participant.persona.extra_attributes[grouping.field]
      if (value === undefined || value === null || value === '') return NO_GROUP
      return Array.isArray(value) ? value.join(', ') : String(value)
    }
  }
}
