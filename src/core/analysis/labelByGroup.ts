import { z } from 'zod'
import { MeanCiAccumulator, MeanCiRowSchema } from './charts/meanCiRow.js'
import type { AnalysisDataset } from './dataset/analysisDataset.js'
import { commentLabelValue } from './dataset/commentLabelValue.js'
import { selectsComment, type CommentSelection } from './dataset/commentSelection.js'
import { commentGroup, type CommentGrouping } from './dataset/grouping.js'
import { groupComparisonOf } from './groupComparisonOf.js'
import { GroupComparisonSchema } from './stats/compareGroups.js'

export interface LabelByGroupOptions {
  label: string
  groupBy: CommentGrouping
  selection?: CommentSelection
  annotators?: readonly string[]
  /** The omnibus test across groups (default ANOVA with Welch post hoc tests). */
  test?: 'anova' | 'kruskal-wallis'
  posthoc?: 'dunn' | 'mann-whitney-u'
  confidence?: number
}

export const LabelByGroupResultSchema = z.object({
  label: z.string(),
  rows: z.array(MeanCiRowSchema),
  /** Null with fewer than two groups. */
  comparison: GroupComparisonSchema.nullable()
})
export type LabelByGroupResult = z.infer<typeof LabelByGroupResultSchema>

/** A label's mean ± CI per group (strategy, model, role, persona trait) with the tests between groups. */
export function labelByGroup(dataset: AnalysisDataset, options: LabelByGroupOptions): LabelByGroupResult {
  const selection = options.selection ?? {}
  const annotators = options.annotators ? new Set(options.annotators) : undefined
  const cells = new MeanCiAccumulator()
  for (const discussion of dataset.discussions) {
    for (const comment of discussion.comments) {
      if (!selectsComment(selection, comment)) continue
      const value = commentLabelValue(comment, options.label, annotators)
      if (value !== undefined) cells.add(null, commentGroup(discussion, comment, options.groupBy), value)
    }
  }
  return {
    label: options.label,
    rows: cells.rows(options.confidence),
    comparison: groupComparisonOf(cells.samples(), {
      ...(options.test ? { test: options.test } : {}),
      ...(options.posthoc ? { posthoc: options.posthoc } : {}),
      ...(options.confidence !== undefined ? { confidence: options.confidence } : {})
    })
  }
}
