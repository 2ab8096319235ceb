import { z } from 'zod'
import { MeanCiAccumulator, MeanCiRowSchema } from './charts/meanCiRow.js'
import type { AnalysisDataset } from './dataset/analysisDataset.js'
import { discussionGroup, type DiscussionGrouping } from './dataset/grouping.js'
import { groupComparisonOf } from './groupComparisonOf.js'
import { GroupComparisonSchema } from './stats/compareGroups.js'
import { isSilentText } from './text/isSilentText.js'

export interface ParticipationOptions {
  groupBy?: DiscussionGrouping
  test?: 'anova' | 'kruskal-wallis'
  confidence?: number
}

export const ParticipationRowSchema = z.object({
  discussion_id: z.string(),
  group: z.string(),
  user_turns: z.number().int(),
  comments: z.number().int(),
  /** comments / user_turns */
  rate: z.number()
})

export const ParticipationResultSchema = z.object({
  discussions: z.array(ParticipationRowSchema),
  rows: z.array(MeanCiRowSchema),
  /** Share of discussions whose n-th user turn was a real comment (x = n, from 1). */
  over_time: z.array(MeanCiRowSchema),
  comparison: GroupComparisonSchema.nullable()
})
export type ParticipationResult = z.infer<typeof ParticipationResultSchema>

/**
 * Participation rate, as SDF's evaluation measured it per model: the share of user turns that
 * produced a comment, counting "" and quote-only replies as silence. Discussions without user
 * turns are left out.
 */
export function participationRate(dataset: AnalysisDataset, options: ParticipationOptions = {}): ParticipationResult {
  const groupBy = options.groupBy ?? { by: 'none' }
  const discussions: z.infer<typeof ParticipationRowSchema>[] = []
  const rates = new MeanCiAccumulator()
  const overTime = new MeanCiAccumulator()
  for (const discussion of dataset.discussions) {
    const turns = discussion.comments.filter((comment) => comment.role === 'user')
    if (turns.length === 0) continue
    const group = discussionGroup(discussion, groupBy, turns)
    let comments = 0
    for (const comment of turns) {
      const spoke = !isSilentText(comment.text)
      if (spoke) comments += 1
      overTime.add(comment.user_turn, group, spoke ? 1 : 0)
    }
    const rate = comments / turns.length
    discussions.push({ discussion_id: discussion.id, group, user_turns: turns.length, comments, rate })
    rates.add(null, group, rate)
  }
  return {
    discussions,
    rows: rates.rows(options.confidence),
    over_time: overTime.rows(options.confidence),
    comparison: groupComparisonOf(rates.samples(), {
      ...(options.test ? { test: options.test } : {}),
      ...(options.confidence !== undefined ? { confidence: options.confidence } : {})
    })
  }
}
