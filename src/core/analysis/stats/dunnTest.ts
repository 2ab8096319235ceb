import type { NamedSample } from './namedSample.js'
import { normalSurvival } from './normalDistribution.js'
import { rankWithTies, tieTerm } from './rankWithTies.js'

export interface DunnComparison {
  group_a: string
  group_b: string
  /** mean rank of a − mean rank of b, in the ranking of all groups pooled */
  mean_rank_difference: number
  z: number | null
  /** Two-sided, not adjusted for multiple comparisons. */
  p: number | null
}

/**
 * Dunn's (1964) pairwise test after Kruskal-Wallis, with the tie-corrected variance
 * (N(N + 1)/12 − Σ(t³ − t) / (12(N − 1))) · (1/n_a + 1/n_b), as scikit-posthocs' `posthoc_dunn`
 * and R's `dunn.test`. Pairs come in the order (0,1), (0,2), …, (1,2), …
 */
export function dunnTest(samples: readonly NamedSample[]): DunnComparison[] {
  const groups = samples.filter((sample) => sample.values.length > 0)
  const pooled = groups.flatMap((sample) => [...sample.values])
  const n = pooled.length
  const { ranks, tieSizes } = rankWithTies(pooled)
  const meanRanks: number[] = []
  let offset = 0
  for (const sample of groups) {
    let sum = 0
    for (let i = 0; i < sample.values.length; i++) sum += ranks[offset + i]!
    offset += sample.values.length
    meanRanks.push(sum / sample.values.length)
  }
  const variance = (n * (n + 1)) / 12 - tieTerm(tieSizes) / (12 * (n - 1))
  const comparisons: DunnComparison[] = []
  for (let i = 0; i < groups.length; i++) {
    for (let j = i + 1; j < groups.length; j++) {
      const difference = meanRanks[i]! - meanRanks[j]!
      const se = Math.sqrt(variance * (1 / groups[i]!.values.length + 1 / groups[j]!.values.length))
      const z = se > 0 ? difference / se : null
      comparisons.push({
        group_a: groups[i]!.group,
        group_b: groups[j]!.group,
        mean_rank_difference: difference,
        z,
        p: z === null ? null : Math.min(1, 2 * normalSurvival(Math.abs(z)))
      })
    }
  }
  return comparisons
}
