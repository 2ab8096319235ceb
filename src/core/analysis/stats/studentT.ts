import { regularizedIncompleteBeta } from './incompleteBeta.js'

/** P(T ≤ t) for Student's t with `df` degrees of freedom (df may be fractional, as Welch's is). */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`t distribution needs df > 0, got ${df}`)
  if (Number.isNaN(t)) return Number.NaN
  if (t === Number.POSITIVE_INFINITY) return 1
  if (t === Number.NEGATIVE_INFINITY) return 0
  const tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5)
  return t > 0 ? 1 - tail : tail
}

/** Two-sided p-value P(|T| ≥ |t|), computed without the cancellation of 1 − cdf. */
export function studentTTwoSidedP(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`t distribution needs df > 0, got ${df}`)
  if (Number.isNaN(t)) return Number.NaN
  if (!Number.isFinite(t)) return 0
  return regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5)
}

/**
 * The quantile t_p with P(T ≤ t_p) = p. Bisection on the CDF: slower than a series inversion but
 * correct for every df, fractional ones included, and only called once per confidence interval.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`t distribution needs df > 0, got ${df}`)
  if (!(p > 0 && p < 1)) {
    if (p === 0) return Number.NEGATIVE_INFINITY
    if (p === 1) return Number.POSITIVE_INFINITY
    return Number.NaN
  }
  if (p === 0.5) return 0
  if (p < 0.5) return -studentTQuantile(1 - p, df)
  let low = 0
  let high = 1
  while (studentTCdf(high, df) < p) {
    low = high
    high *= 2
  }
  for (let i = 0; i < 200 && high - low > 1e-13 * Math.max(1, high); i++) {
    const middle = (low + high) / 2
    if (studentTCdf(middle, df) < p) low = middle
    else high = middle
  }
  return (low + high) / 2
}
