import { regularizedGammaQ } from './incompleteGamma.js'

/** P(Z > z) for a standard normal Z; erfc(x) = Q(1/2, x²) keeps full precision in the upper tail. */
export function normalSurvival(z: number): number {
  if (Number.isNaN(z)) return Number.NaN
  if (z === 0) return 0.5
  const tail = 0.5 * regularizedGammaQ(0.5, (z * z) / 2)
  return z > 0 ? tail : 1 - tail
}

/** P(Z ≤ z) for a standard normal Z. */
export function normalCdf(z: number): number {
  return normalSurvival(-z)
}
