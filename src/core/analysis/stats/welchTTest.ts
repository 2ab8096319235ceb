import { sampleMean, sampleVariance } from './summarizeSample.js'
import { studentTTwoSidedP } from './studentT.js'

export interface WelchTTestResult {
  n_a: number
  n_b: number
  mean_a: number
  mean_b: number
  /** mean_a − mean_b */
  difference: number
  /** Null when undefined: fewer than two values in a sample, or no variance in either. */
  t: number | null
  df: number | null
  p: number | null
}

/** Welch's unequal-variances t-test, two-sided (scipy `ttest_ind(a, b, equal_var=False)`). */
export function welchTTest(a: readonly number[], b: readonly number[]): WelchTTestResult {
  const meanA = sampleMean(a)
  const meanB = sampleMean(b)
  const base = { n_a: a.length, n_b: b.length, mean_a: meanA, mean_b: meanB, difference: meanA - meanB }
  if (a.length < 2 || b.length < 2) return { ...base, t: null, df: null, p: null }
  const seA = sampleVariance(a) / a.length
  const seB = sampleVariance(b) / b.length
  const se2 = seA + seB
  if (!(se2 > 0)) return { ...base, t: null, df: null, p: null }
  const t = (meanA - meanB) / Math.sqrt(se2)
  const df = (se2 * se2) / ((seA * seA) / (a.length - 1) + (seB * seB) / (b.length - 1))
  return { ...base, t, df, p: studentTTwoSidedP(t, df) }
}
