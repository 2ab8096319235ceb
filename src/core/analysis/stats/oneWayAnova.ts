import { fSurvival } from './fDistribution.js'
import type { NamedSample } from './namedSample.js'

export interface OneWayAnovaResult {
  /**
   * Null when undefined (fewer than two groups, no residual degrees of freedom, no variance at all)
   * or infinite (groups differ but each is constant; p is 0 then): JSON has no Infinity.
   */
  F: number | null
  df_between: number
  df_within: number
  p: number | null
  /** Share of the total sum of squares between groups (η²); null when the total is 0. */
  eta_squared: number | null
}

/** One-way ANOVA F test (scipy `f_oneway`); empty groups are left out. */
export function oneWayAnova(samples: readonly NamedSample[]): OneWayAnovaResult {
  const groups = samples.filter((sample) => sample.values.length > 0)
  const k = groups.length
  let total = 0
  let count = 0
  for (const { values } of groups) for (const value of values) {
    total += value
    count += 1
  }
  const grandMean = total / count
  let between = 0
  let within = 0
  for (const { values } of groups) {
    let sum = 0
    for (const value of values) sum += value
    const mean = sum / values.length
    between += values.length * (mean - grandMean) ** 2
    for (const value of values) within += (value - mean) ** 2
  }
  const dfBetween = k - 1
  const dfWithin = count - k
  const totalSquares = between + within
  const eta = totalSquares > 0 ? between / totalSquares : null
  if (k < 2 || dfWithin < 1) return { F: null, df_between: dfBetween, df_within: dfWithin, p: null, eta_squared: eta }
  if (within === 0) {
    // scipy returns F = inf, p = 0 when groups differ but are each constant, nan when all are equal.
    return { F: null, df_between: dfBetween, df_within: dfWithin, p: between > 0 ? 0 : null, eta_squared: eta }
  }
  const F = between / dfBetween / (within / dfWithin)
  return { F, df_between: dfBetween, df_within: dfWithin, p: fSurvival(F, dfBetween, dfWithin), eta_squared: eta }
}
