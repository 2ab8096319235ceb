import { z } from 'zod'
import { MeanCiAccumulator, MeanCiRowSchema } from './charts/meanCiRow.js'
import type { AnalysisDataset } from './dataset/analysisDataset.js'
import { selectsComment, type CommentSelection } from './dataset/commentSelection.js'
import { discussionGroup, type DiscussionGrouping } from './dataset/grouping.js'
import { groupComparisonOf } from './groupComparisonOf.js'
import { GroupComparisonSchema } from './stats/compareGroups.js'
import { pairwiseRougeL } from './text/pairwiseRougeL.js'
import { removeMentions } from './text/removeMentions.js'

export interface DiversityOptions {
  groupBy?: DiscussionGrouping
  /** Default: users and moderators, no seeds, no silent turns. */
  selection?: CommentSelection
  /** Strip `@username` before comparing (default true). */
  removeMentions?: boolean
  test?: 'anova' | 'kruskal-wallis'
  confidence?: number
}

export const DiversityRowSchema = z.object({
  discussion_id: z.string(),
  group: z.string(),
  comments: z.number().int(),
  pairs: z.number().int(),
  mean_rouge_l: z.number(),
  /** 1 − mean_rouge_l */
  diversity: z.number()
})

export const DiversityResultSchema = z.object({
  discussions: z.array(DiversityRowSchema),
  rows: z.array(MeanCiRowSchema),
  comparison: GroupComparisonSchema.nullable()
})
export type DiversityResult = z.infer<typeof DiversityResultSchema>

/**
 * Lexical diversity of each discussion, as SDF's ablations measured it: 1 − the mean pairwise
 * ROUGE-L F1 between its comments, after removing @mentions. Discussions with fewer than two
 * comments have no pairs and are left out.
 */
export function discussionDiversity(dataset: AnalysisDataset, options: DiversityOptions = {}): DiversityResult {
  const groupBy = options.groupBy ?? { by: 'none' }
  const selection = options.selection ?? {}
  const stripMentions = options.removeMentions ?? true
  const discussions: z.infer<typeof DiversityRowSchema>[] = []
  const cells = new MeanCiAccumulator()
  for (const discussion of dataset.discussions) {
    const comments = discussion.comments.filter((comment) => selectsComment(selection, comment))
    const { mean_f1: meanF1, pairs } = pairwiseRougeL(
      comments.map((comment) => (stripMentions ? removeMentions(comment.text) : comment.text))
    )
    if (meanF1 === null) continue
    const group = discussionGroup(discussion, groupBy, comments)
    discussions.push({ discussion_id: discussion.id, group, comments: comments.length, pairs, mean_rouge_l: meanF1, diversity: 1 - meanF1 })
    cells.add(null, group, 1 - meanF1)
  }
  return {
    discussions,
    rows: cells.rows(options.confidence),
    comparison: groupComparisonOf(cells.samples(), {
      ...(options.test ? { test: options.test } : {}),
      ...(options.confidence !== undefined ? { confidence: options.confidence } : {})
    })
  }
}
