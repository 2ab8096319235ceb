import { z } from 'zod'
import { dunnTest } from './dunnTest.js'
import { holmAdjust } from './holmAdjust.js'
import { kruskalWallis } from './kruskalWallis.js'
import { mannWhitneyU } from './mannWhitneyU.js'
import type { NamedSample } from './namedSample.js'
import { oneWayAnova } from './oneWayAnova.js'
import { summarizeSample } from './summarizeSample.js'
import { welchTTest } from './welchTTest.js'

const nullableNumber = z.number().nullable()

export const GroupSummarySchema = z.object({
  group: z.string(),
  n: z.number().int(),
  mean: z.number(),
  sd: nullableNumber,
  ci_low: nullableNumber,
  ci_high: nullableNumber
})
export type GroupSummary = z.infer<typeof GroupSummarySchema>

export const OmnibusTestSchema = z.discriminatedUnion('test', [
  z.object({
    test: z.literal('anova'),
    F: nullableNumber,
    df_between: z.number(),
    df_within: z.number(),
    p: nullableNumber,
    eta_squared: nullableNumber
  }),
  z.object({ test: z.literal('kruskal-wallis'), H: nullableNumber, df: z.number(), p: nullableNumber })
])
export type OmnibusTest = z.infer<typeof OmnibusTestSchema>

export const PairwiseComparisonSchema = z.object({
  group_a: z.string(),
  group_b: z.string(),
  test: z.enum(['welch-t', 'mann-whitney-u', 'dunn']),
  /** mean a − mean b (Welch), or mean rank a − mean rank b in the pooled ranking (Dunn, Mann-Whitney) */
  difference: z.number(),
  statistic: nullableNumber,
  df: nullableNumber,
  p: nullableNumber,
  /** Holm-adjusted over all pairs of this comparison. */
  p_holm: nullableNumber
})
export type PairwiseComparison = z.infer<typeof PairwiseComparisonSchema>

export const GroupComparisonSchema = z.object({
  groups: z.array(GroupSummarySchema),
  omnibus: OmnibusTestSchema,
  pairwise: z.array(PairwiseComparisonSchema)
})
export type GroupComparison = z.infer<typeof GroupComparisonSchema>

export interface CompareGroupsOptions {
  /** `anova` (default): F test, Welch t post hoc. `kruskal-wallis`: H test, Dunn (default) or Mann-Whitney U post hoc. */
  test?: 'anova' | 'kruskal-wallis'
  posthoc?: 'dunn' | 'mann-whitney-u'
  confidence?: number
}

/**
 * An omnibus test across groups with Holm-corrected pairwise tests, what SDF's notebooks did with
 * `f_oneway` and `posthoc_ttest(p_adjust="holm")` (here with Welch's t, which does not assume equal
 * variances). Empty groups are dropped.
 */
export function compareGroups(samples: readonly NamedSample[], options: CompareGroupsOptions = {}): GroupComparison {
  const groups = samples.filter((sample) => sample.values.length > 0)
  const summaries = groups.map((sample) => ({ group: sample.group, ...summarizeSample(sample.values, options.confidence)! }))
  const test = options.test ?? 'anova'
  if (test === 'anova') {
    const pairs: Omit<PairwiseComparison, 'p_holm'>[] = []
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        const result = welchTTest(groups[i]!.values, groups[j]!.values)
        pairs.push({
          group_a: groups[i]!.group,
          group_b: groups[j]!.group,
          test: 'welch-t',
          difference: result.difference,
          statistic: result.t,
          df: result.df,
          p: result.p
        })
      }
    }
    return { groups: summaries, omnibus: { test: 'anova', ...oneWayAnova(groups) }, pairwise: withHolm(pairs) }
  }
  const kw = kruskalWallis(groups)
  let pairs: Omit<PairwiseComparison, 'p_holm'>[]
  if ((options.posthoc ?? 'dunn') === 'dunn') {
    pairs = dunnTest(groups).map((row) => ({
      group_a: row.group_a,
      group_b: row.group_b,
      test: 'dunn',
      difference: row.mean_rank_difference,
      statistic: row.z,
      df: null,
      p: row.p
    }))
  } else {
    pairs = []
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        const result = mannWhitneyU(groups[i]!.values, groups[j]!.values)
        pairs.push({
          group_a: groups[i]!.group,
          group_b: groups[j]!.group,
          test: 'mann-whitney-u',
          difference: kw.mean_ranks[i]!.mean_rank - kw.mean_ranks[j]!.mean_rank,
          statistic: result.U,
          df: null,
          p: result.p
        })
      }
    }
  }
  return {
    groups: summaries,
    omnibus: { test: 'kruskal-wallis', H: kw.H, df: kw.df, p: kw.p },
    pairwise: withHolm(pairs)
  }
}

function withHolm(pairs: Omit<PairwiseComparison, 'p_holm'>[]): PairwiseComparison[] {
  const adjusted = holmAdjust(pairs.map((pair) => pair.p))
  return pairs.map((pair, index) => ({ ...pair, p_holm: adjusted[index] ?? null }))
}
