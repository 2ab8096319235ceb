import { regularizedIncompleteBeta } from './incompleteBeta.js'

/** P(F > f) for Fisher's F with (d1, d2) degrees of freedom: the p-value of an F test. */
export function fSurvival(f: number, d1: number, d2: number): number {
  if (!(d1 > 0) || !(d2 > 0)) throw new RangeError(`F distribution needs d1, d2 > 0, got ${d1}, ${d2}`)
  if (Number.isNaN(f)) return Number.NaN
  if (f <= 0) return 1
  if (f === Number.POSITIVE_INFINITY) return 0
  return regularizedIncompleteBeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2)
}
