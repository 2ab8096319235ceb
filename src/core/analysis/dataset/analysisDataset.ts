import type { Annotation, CommentRole, Discussion, PersonaSnapshot } from '../../schema/index.js'
import type { WorkspaceProblem } from '../../workspace/jsonCollection.js'

export type LabelValue = number | string | boolean | null

export interface AnalysisRating {
  annotator: string
  values: Readonly<Record<string, LabelValue>>
}

export interface AnalysisComment {
  index: number
  author: string
  role: CommentRole
  model: string | null
  text: string
  /** 1-based position among the discussion's user comments (silent turns count); null for seeds and moderators. */
  user_turn: number | null
  ratings: AnalysisRating[]
}

export interface AnalysisParticipant {
  username: string
  role: 'user' | 'moderator'
  persona: PersonaSnapshot
}

export interface AnalysisDiscussion {
  id: string
  conditions: Readonly<Record<string, string>>
  moderator: string | null
  participants: AnalysisParticipant[]
  comments: AnalysisComment[]
}

/**
 * What the analyses read: discussions with their comments and each comment's label values, and
 * nothing else (no prompts, raw texts or timings), so 150,000 comments and 600,000 labels fit in
 * memory comfortably.
 */
export interface AnalysisDataset {
  discussions: AnalysisDiscussion[]
  /** Files or journal lines that could not be read; the analyses ran without them. */
  problems: WorkspaceProblem[]
}

/** One discussion and its linked annotations in the analyses' form. Annotations of other discussions are ignored. */
export function toAnalysisDiscussion(discussion: Discussion, annotations: readonly Annotation[]): AnalysisDiscussion {
  let userTurn = 0
  const comments: AnalysisComment[] = discussion.comments.map((comment) => ({
    index: comment.index,
    author: comment.author,
    role: comment.role,
    model: comment.model,
    text: comment.text,
    user_turn: comment.role === 'user' ? ++userTurn : null,
    ratings: []
  }))
  for (const annotation of annotations) {
    if (annotation.discussion_id !== discussion.id || annotation.comment_index === null) continue
    comments[annotation.comment_index]?.ratings.push({ annotator: annotation.annotator.name, values: annotation.values })
  }
  return {
    id: discussion.id,
    conditions: discussion.conditions,
    moderator: discussion.moderator,
    participants: discussion.participants.map((participant) => ({
      username: participant.username,
      role: participant.role,
      persona: participant.persona
    })),
    comments
  }
}

/** A dataset from records in memory (tests, the desktop app's open discussions). */
export function buildAnalysisDataset(
  items: readonly { discussion: Discussion; annotations: readonly Annotation[] }[]
): AnalysisDataset {
  return { discussions: items.map(({ discussion, annotations }) => toAnalysisDiscussion(discussion, annotations)), problems: [] }
}
