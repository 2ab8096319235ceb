import { chiSquareSurvival } from './chiSquareDistribution.js'
import type { NamedSample } from './namedSample.js'
import { rankWithTies, tieTerm } from './rankWithTies.js'

export interface KruskalWallisResult {
  /** H corrected for ties; null when undefined (fewer than two groups, or every value equal). */
  H: number | null
  df: number
  p: number | null
  /** Mean rank of each group in the pooled ranking, in input order (empty groups left out). */
  mean_ranks: { group: string; n: number; mean_rank: number }[]
}

/**
 * Kruskal-Wallis H test with the tie correction H / (1 − Σ(t³ − t) / (N³ − N)) and its p-value
 * from the chi-square distribution with k − 1 degrees of freedom (scipy `kruskal`).
 */
export function kruskalWallis(samples: readonly NamedSample[]): KruskalWallisResult {
  const groups = samples.filter((sample) => sample.values.length > 0)
  const pooled = groups.flatMap((sample) => [...sample.values])
  const n = pooled.length
  const { ranks, tieSizes } = rankWithTies(pooled)
  let offset = 0
  let sum = 0
  const meanRanks = groups.map((sample) => {
    let rankSum = 0
    for (let i = 0; i < sample.values.length; i++) rankSum += ranks[offset + i]!
    offset += sample.values.length
    sum += (rankSum * rankSum) / sample.values.length
    return { group: sample.group, n: sample.values.length, mean_rank: rankSum / sample.values.length }
  })
  const df = groups.length - 1
  const correction = 1 - tieTerm(tieSizes) / (n * n * n - n)
  if (groups.length < 2 || !(correction > 0)) return { H: null, df, p: null, mean_ranks: meanRanks }
  const H = ((12 / (n * (n + 1))) * sum - 3 * (n + 1)) / correction
  return { H, df, p: chiSquareSurvival(H, df), mean_ranks: meanRanks }
}
