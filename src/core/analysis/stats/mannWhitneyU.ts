import { normalSurvival } from './normalDistribution.js'
import { rankWithTies, tieTerm } from './rankWithTies.js'

export interface MannWhitneyUResult {
  /** U of the first sample: the number of (a, b) pairs with a > b, ties counting one half. */
  U: number
  /** Standardised statistic of the normal approximation; null when the exact distribution was used. */
  z: number | null
  p: number | null
  method: 'exact' | 'asymptotic'
}

/**
 * Two-sided Mann-Whitney U test as scipy's `mannwhitneyu(a, b)` with its defaults: the exact null
 * distribution when a sample has fewer than 9 values and nothing is tied, otherwise the normal
 * approximation with tie correction and a continuity correction of 1/2.
 */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): MannWhitneyUResult {
  const n1 = a.length
  const n2 = b.length
  if (n1 === 0 || n2 === 0) return { U: Number.NaN, z: null, p: null, method: 'asymptotic' }
  const { ranks, tieSizes } = rankWithTies([...a, ...b])
  let r1 = 0
  for (let i = 0; i < n1; i++) r1 += ranks[i]!
  const u1 = r1 - (n1 * (n1 + 1)) / 2
  const u = Math.max(u1, n1 * n2 - u1)
  const ties = tieSizes.some((size) => size > 1)
  if ((n1 <= 8 || n2 <= 8) && !ties) {
    return { U: u1, z: null, p: Math.min(1, 2 * exactUpperTail(Math.round(u), n1, n2)), method: 'exact' }
  }
  const n = n1 + n2
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm(tieSizes) / (n * (n - 1))))
  if (!(sd > 0)) return { U: u1, z: null, p: null, method: 'asymptotic' }
  const z = (u - (n1 * n2) / 2 - 0.5) / sd
  return { U: u1, z, p: Math.min(1, 2 * normalSurvival(z)), method: 'asymptotic' }
}

/**
 * P(U ≥ u) under the null hypothesis without ties. The counts of U over the C(n1 + n2, n1) equally
 * likely rank assignments are the coefficients of the Gaussian binomial coefficient
 * ∏_{i=1..m} (1 − q^{n+i}) / (1 − q^i) with m = min(n1, n2): m passes over n1·n2 + 1 coefficients,
 * so a sample of 8 against one of 10,000 stays cheap. Dividing first keeps every intermediate
 * coefficient positive.
 */
function exactUpperTail(u: number, n1: number, n2: number): number {
  const m = Math.min(n1, n2)
  const n = Math.max(n1, n2)
  const length = m * n + 1
  const counts = new Float64Array(length)
  counts[0] = 1
  for (let i = 1; i <= m; i++) {
    for (let k = i; k < length; k++) counts[k]! += counts[k - i]!
    for (let k = length - 1; k >= n + i; k--) counts[k]! -= counts[k - n - i]!
  }
  let total = 0
  let tail = 0
  for (let k = 0; k < length; k++) {
    total += counts[k]!
    if (k >= u) tail += counts[k]!
  }
  return tail / total
}
