import { studentTQuantile } from './studentT.js'

export interface SampleSummary {
  n: number
  mean: number
  /** Sample standard deviation (n − 1 in the denominator); null below two values. */
  sd: number | null
  /** Bounds of the t-based confidence interval for the mean; null below two values. */
  ci_low: number | null
  ci_high: number | null
}

/**
 * Mean with a t-based confidence interval, mean ± t(1 − α/2, n − 1) · sd / √n, as seaborn's
 * `errorbar=("ci", 95)` approximates by bootstrap and scipy's `t.interval` gives exactly.
 * Returns undefined for an empty sample.
 */
export function summarizeSample(values: readonly number[], confidence = 0.95): SampleSummary | undefined {
  const n = values.length
  if (n === 0) return undefined
  let sum = 0
  for (const value of values) sum += value
  const mean = sum / n
  if (n < 2) return { n, mean, sd: null, ci_low: null, ci_high: null }
  let squares = 0
  for (const value of values) squares += (value - mean) ** 2
  const sd = Math.sqrt(squares / (n - 1))
  const half = studentTQuantile(1 - (1 - confidence) / 2, n - 1) * (sd / Math.sqrt(n))
  return { n, mean, sd, ci_low: mean - half, ci_high: mean + half }
}

/** Sample variance with n − 1 in the denominator. */
export function sampleVariance(values: readonly number[]): number {
  const n = values.length
  if (n < 2) return Number.NaN
  let sum = 0
  for (const value of values) sum += value
  const mean = sum / n
  let squares = 0
  for (const value of values) squares += (value - mean) ** 2
  return squares / (n - 1)
}

export function sampleMean(values: readonly number[]): number {
  let sum = 0
  for (const value of values) sum += value
  return values.length === 0 ? Number.NaN : sum / values.length
}
