import { z } from 'zod'
import { MeanCiAccumulator } from './charts/meanCiRow.js'
import type { AnalysisDataset, AnalysisDiscussion } from './dataset/analysisDataset.js'
import { commentLabelValue } from './dataset/commentLabelValue.js'
import { isTrollPersona, type TrollPredicate } from './dataset/trollPredicate.js'
import { GroupSummarySchema } from './stats/compareGroups.js'
import { welchTTest } from './stats/welchTTest.js'
import { isSilentText } from './text/isSilentText.js'

export interface TrollEffectOptions {
  label: string
  /** Who counts as a troll (default: `isTrollPersona`, SDF's troll instructions or v-1 `intent: Troll`). */
  isTroll?: TrollPredicate
  /** How many comments after a troll's comment count as "right after" (default 1). */
  k?: number
  annotators?: readonly string[]
  confidence?: number
}

export const WelchTestSchema = z.object({
  /** Null when a group is empty. */
  difference: z.number().nullable(),
  t: z.number().nullable(),
  df: z.number().nullable(),
  p: z.number().nullable()
})

const ComparisonSchema = z.object({
  groups: z.array(GroupSummarySchema),
  /** group 0 − group 1 */
  test: WelchTestSchema
})

export const TrollEffectResultSchema = z.object({
  label: z.string(),
  k: z.number().int().positive(),
  discussions_with_trolls: z.number().int(),
  discussions_without_trolls: z.number().int(),
  /** Non-troll comments in discussions where a troll spoke vs discussions where none did. */
  by_discussion: ComparisonSchema,
  /** Within discussions where a troll spoke: non-troll comments among the k after a troll's comment vs the rest. */
  after_troll: ComparisonSchema
})
export type TrollEffectResult = z.infer<typeof TrollEffectResultSchema>

export const WITH_TROLLS = 'with trolls'
export const WITHOUT_TROLLS = 'without trolls'
export const AFTER_TROLL = 'right after a troll'
export const NOT_AFTER_TROLL = 'otherwise'

/**
 * Do trolls make the others worse? SDF's "troll goading" analysis: the label of non-troll user
 * comments (seeds, moderators and silent turns left out) in discussions where a troll spoke versus
 * discussions where none did, and, inside the former, in the k comments that follow a troll's
 * comment versus the rest; each with Welch's t-test. "The k comments after" counts spoken comments
 * of any role, since silent turns are not seen by anyone.
 */
export function trollEffect(dataset: AnalysisDataset, options: TrollEffectOptions): TrollEffectResult {
  const isTroll = options.isTroll ?? isTrollPersona
  const k = options.k ?? 1
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`)
  const annotators = options.annotators ? new Set(options.annotators) : undefined
  const byDiscussion = new MeanCiAccumulator()
  const afterTroll = new MeanCiAccumulator()
  let withTrolls = 0
  let withoutTrolls = 0
  for (const discussion of dataset.discussions) {
    const trolls = trollNames(discussion, isTroll)
    const spoken = discussion.comments.filter((comment) => !isSilentText(comment.text))
    const trollSpoke = spoken.some((comment) => comment.role === 'user' && trolls.has(comment.author))
    if (trollSpoke) withTrolls += 1
    else withoutTrolls += 1
    let sinceTroll = Number.POSITIVE_INFINITY
    for (const comment of spoken) {
      const byTroll = comment.role === 'user' && trolls.has(comment.author)
      if (comment.role === 'user' && !byTroll) {
        const value = commentLabelValue(comment, options.label, annotators)
        if (value !== undefined) {
          byDiscussion.add(null, trollSpoke ? WITH_TROLLS : WITHOUT_TROLLS, value)
          if (trollSpoke) afterTroll.add(null, sinceTroll <= k ? AFTER_TROLL : NOT_AFTER_TROLL, value)
        }
      }
      sinceTroll = byTroll ? 1 : sinceTroll + 1
    }
  }
  return {
    label: options.label,
    k,
    discussions_with_trolls: withTrolls,
    discussions_without_trolls: withoutTrolls,
    by_discussion: twoGroupComparison(byDiscussion, WITH_TROLLS, WITHOUT_TROLLS, options.confidence),
    after_troll: twoGroupComparison(afterTroll, AFTER_TROLL, NOT_AFTER_TROLL, options.confidence)
  }
}

function trollNames(discussion: AnalysisDiscussion, isTroll: TrollPredicate): Set<string> {
  return new Set(
    discussion.participants.filter((participant) => participant.role === 'user' && isTroll(participant.persona)).map((p) => p.username)
  )
}

function twoGroupComparison(cells: MeanCiAccumulator, first: string, second: string, confidence?: number) {
  const rows = cells.rows(confidence)
  const order = (group: string) => (group === first ? 0 : 1)
  const groups = rows.sort((a, b) => order(a.group) - order(b.group)).map(({ x: _x, ...summary }) => summary)
  const samples = new Map(cells.samples().map((sample) => [sample.group, sample.values]))
  const test = welchTTest(samples.get(first) ?? [], samples.get(second) ?? [])
  return {
    groups,
    test: {
      difference: Number.isNaN(test.difference) ? null : test.difference,
      t: test.t,
      df: test.df,
      p: test.p
    }
  }
}
