import { regularizedGammaQ } from './incompleteGamma.js'

/** P(X > x) for a chi-square variable with k degrees of freedom. */
export function chiSquareSurvival(x: number, k: number): number {
  if (!(k > 0)) throw new RangeError(`chi-square needs k > 0, got ${k}`)
  if (Number.isNaN(x)) return Number.NaN
  if (x <= 0) return 1
  return regularizedGammaQ(k / 2, x / 2)
}
