import { z } from 'zod'
import { MeanCiAccumulator, MeanCiRowSchema } from './charts/meanCiRow.js'
import type { AnalysisDataset } from './dataset/analysisDataset.js'
import { discussionGroup, type DiscussionGrouping } from './dataset/grouping.js'
import { groupComparisonOf } from './groupComparisonOf.js'
import { GroupComparisonSchema } from './stats/compareGroups.js'
import { isSilentText } from './text/isSilentText.js'

export interface ModeratorInterventionOptions {
  /** Default: none. `model` groups by the moderator's model. */
  groupBy?: DiscussionGrouping
  test?: 'anova' | 'kruskal-wallis'
  confidence?: number
}

export const ModeratorInterventionRowSchema = z.object({
  discussion_id: z.string(),
  group: z.string(),
  moderator_turns: z.number().int(),
  interventions: z.number().int(),
  /** interventions / moderator_turns */
  rate: z.number()
})

export const ModeratorInterventionResultSchema = z.object({
  discussions: z.array(ModeratorInterventionRowSchema),
  /** Mean intervention rate per group (x null). */
  rows: z.array(MeanCiRowSchema),
  /** Share of discussions whose moderator spoke at its n-th turn (x = n, from 1). */
  over_time: z.array(MeanCiRowSchema),
  comparison: GroupComparisonSchema.nullable()
})
export type ModeratorInterventionResult = z.infer<typeof ModeratorInterventionResultSchema>

/**
 * How often the moderator actually intervened: of its turns (every moderator comment, seeds left
 * out), the share that were not silent ("" or only quotes, SDF's "unmoderated" comments); per
 * discussion, per group, and turn by turn. Discussions without moderator turns are left out.
 */
export function moderatorInterventions(
  dataset: AnalysisDataset,
  options: ModeratorInterventionOptions = {}
): ModeratorInterventionResult {
  const groupBy = options.groupBy ?? { by: 'none' }
  const discussions: z.infer<typeof ModeratorInterventionRowSchema>[] = []
  const rates = new MeanCiAccumulator()
  const overTime = new MeanCiAccumulator()
  for (const discussion of dataset.discussions) {
    const turns = discussion.comments.filter((comment) => comment.role === 'moderator')
    if (turns.length === 0) continue
    const group = discussionGroup(discussion, groupBy, turns)
    let interventions = 0
    turns.forEach((comment, position) => {
      const spoke = !isSilentText(comment.text)
      if (spoke) interventions += 1
      overTime.add(position + 1, group, spoke ? 1 : 0)
    })
    const rate = interventions / turns.length
    discussions.push({ discussion_id: discussion.id, group, moderator_turns: turns.length, interventions, rate })
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
