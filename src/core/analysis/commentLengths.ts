import { z } from 'zod'
import { compareText, MeanCiAccumulator, MeanCiRowSchema } from './charts/meanCiRow.js'
import type { AnalysisDataset } from './dataset/analysisDataset.js'
import { selectsComment, type CommentSelection } from './dataset/commentSelection.js'
import { commentGroup, type CommentGrouping } from './dataset/grouping.js'
import { groupComparisonOf } from './groupComparisonOf.js'
import { GroupComparisonSchema } from './stats/compareGroups.js'
import { wordCount } from './text/wordCount.js'

export interface CommentLengthOptions {
  groupBy?: CommentGrouping
  selection?: CommentSelection
  /** Lengths above this count as this (default 400 words, SDF's plot range). */
  clip?: number
  /** Histogram bin width in words (default 20). */
  binWidth?: number
  test?: 'anova' | 'kruskal-wallis'
  confidence?: number
}

export const LengthBinSchema = z.object({
  group: z.string(),
  /** Words from bin_start (inclusive) to bin_end (exclusive; the last bin includes the clip value). */
  bin_start: z.number(),
  bin_end: z.number(),
  count: z.number().int(),
  /** count / (group total × bin width): comparable across groups of different size, as seaborn's stat="density". */
  density: z.number()
})

export const CommentLengthResultSchema = z.object({
  clip: z.number(),
  histogram: z.array(LengthBinSchema),
  rows: z.array(MeanCiRowSchema),
  comparison: GroupComparisonSchema.nullable()
})
export type CommentLengthResult = z.infer<typeof CommentLengthResultSchema>

/** Comment length in words (whitespace split, clipped): distribution and mean per group. */
export function commentLengths(dataset: AnalysisDataset, options: CommentLengthOptions = {}): CommentLengthResult {
  const clip = options.clip ?? 400
  const binWidth = options.binWidth ?? 20
  if (!(binWidth > 0)) throw new RangeError(`binWidth must be positive, got ${binWidth}`)
  const groupBy = options.groupBy ?? { by: 'none' }
  const selection = options.selection ?? {}
  const means = new MeanCiAccumulator()
  const bins = new Map<string, number[]>()
  const binCount = Math.floor(clip / binWidth) + (clip % binWidth === 0 ? 0 : 1)
  for (const discussion of dataset.discussions) {
    for (const comment of discussion.comments) {
      if (!selectsComment(selection, comment)) continue
      const length = Math.min(clip, wordCount(comment.text))
      const group = commentGroup(discussion, comment, groupBy)
      means.add(null, group, length)
      let counts = bins.get(group)
      if (!counts) bins.set(group, (counts = new Array<number>(Math.max(1, binCount)).fill(0)))
      counts[Math.min(counts.length - 1, Math.floor(length / binWidth))]! += 1
    }
  }
  const histogram = [...bins.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .flatMap(([group, counts]) => {
      const total = counts.reduce((sum, count) => sum + count, 0)
      return counts.map((count, bin) => ({
        group,
        bin_start: bin * binWidth,
        bin_end: Math.min(clip, (bin + 1) * binWidth),
        count,
        density: count / (total * binWidth)
      }))
    })
  return {
    clip,
    histogram,
    rows: means.rows(options.confidence),
    comparison: groupComparisonOf(means.samples(), {
      ...(options.test ? { test: options.test } : {}),
      ...(options.confidence !== undefined ? { confidence: options.confidence } : {})
    })
  }
}
