import { z } from 'zod'
import { MeanCiAccumulator, MeanCiRowSchema } from './charts/meanCiRow.js'
import type { AnalysisDataset } from './dataset/analysisDataset.js'
import { commentLabelValue } from './dataset/commentLabelValue.js'
import { selectsComment, type CommentSelection } from './dataset/commentSelection.js'
import { commentGroup, type CommentGrouping } from './dataset/grouping.js'

export interface LabelByTurnOptions {
  label: string
  /** `index`: the comment's position in the log (from 0); `user_turn`: its order among user comments (from 1). */
  x?: 'index' | 'user_turn'
  groupBy?: CommentGrouping
  /** Default: seeds and silent turns left out, moderators in (`x: "user_turn"` leaves them out anyway). */
  selection?: CommentSelection
  /** Only these annotators' values (default: all, averaged per comment). */
  annotators?: readonly string[]
  confidence?: number
}

export const LabelByTurnResultSchema = z.object({
  label: z.string(),
  x: z.enum(['index', 'user_turn']),
  rows: z.array(MeanCiRowSchema)
})
export type LabelByTurnResult = z.infer<typeof LabelByTurnResultSchema>

/**
 * A label's mean with its confidence interval at every turn, per group: the time series of SDF's
 * notebooks ("toxicity progression vs message order", by strategy, model or role). Each comment
 * contributes its value averaged over annotators.
 */
export function labelByTurn(dataset: AnalysisDataset, options: LabelByTurnOptions): LabelByTurnResult {
  const x = options.x ?? 'index'
  const groupBy = options.groupBy ?? { by: 'none' }
  const selection = options.selection ?? {}
  const annotators = options.annotators ? new Set(options.annotators) : undefined
  const cells = new MeanCiAccumulator()
  for (const discussion of dataset.discussions) {
    for (const comment of discussion.comments) {
      if (!selectsComment(selection, comment)) continue
      const position = x === 'index' ? comment.index : comment.user_turn
      if (position === null) continue
      const value = commentLabelValue(comment, options.label, annotators)
      if (value === undefined) continue
      cells.add(position, commentGroup(discussion, comment, groupBy), value)
    }
  }
  return { label: options.label, x, rows: cells.rows(options.confidence) }
}
