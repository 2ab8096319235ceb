import { AgreementError } from './agreementError.js'
import type { RatingValue } from './reliabilityData.js'

/**
 * Gwet's predefined agreement weights (Handbook of Inter-Rater Reliability, 4th ed., ch. 3; the
 * formulas of his irrCAC package): 1 on the diagonal, less for categories further apart.
 * `identity` gives the unweighted coefficients (AC1, kappa); the others give AC2 / weighted kappa.
 */
export const WEIGHT_KINDS = ['identity', 'linear', 'quadratic', 'ordinal', 'ratio'] as const
export type WeightKind = (typeof WEIGHT_KINDS)[number]

/** A weight kind, or a custom q × q matrix in category order. */
export type Weights = WeightKind | readonly (readonly number[])[]

/**
 * The q × q weight matrix for categories already in rank order. Numeric categories are weighted
 * by their values (so 1, 2, 5 are not evenly spaced), others by rank 1…q, as irrCAC does.
 */
export function agreementWeights(kind: WeightKind, categories: readonly RatingValue[]): number[][] {
  const q = categories.length
  const x = categories.every((value) => typeof value === 'number')
    ? (categories as readonly number[])
    : categories.map((_, index) => index + 1)
  const min = Math.min(...x)
  const max = Math.max(...x)
  const weight = (k: number, l: number): number => {
    if (k === l || q < 2) return k === l ? 1 : 0
    const a = x[k] ?? 0
    const b = x[l] ?? 0
    switch (kind) {
      case 'identity':
        return 0
      case 'linear':
        return 1 - Math.abs(a - b) / Math.abs(max - min)
      case 'quadratic':
        return 1 - (a - b) ** 2 / (max - min) ** 2
      case 'ordinal': {
        // Gwet's ordinal weights count the rank pairs a disagreement spans: ranks, not values.
        const span = Math.abs(k - l) + 1
        return 1 - (span * (span - 1)) / (q * (q - 1))
      }
      case 'ratio': {
        if (min < 0) throw new AgreementError('ratio weights need non-negative categories')
        const sum = a + b
        const scale = ((max - min) / (max + min)) ** 2
        return 1 - (sum === 0 ? 0 : ((a - b) / sum) ** 2) / scale
      }
    }
  }
  return Array.from({ length: q }, (_, k) => Array.from({ length: q }, (_, l) => weight(k, l)))
}

/** Resolves a `Weights` option into a matrix for the given categories, checking its shape. */
export function weightMatrix(weights: Weights | undefined, categories: readonly RatingValue[]): number[][] {
  if (weights === undefined || typeof weights === 'string') return agreementWeights(weights ?? 'identity', categories)
  const q = categories.length
  if (weights.length !== q || weights.some((row) => row.length !== q)) {
    throw new AgreementError(`custom weights must be a ${q} × ${q} matrix for ${q} categories`)
  }
  return weights.map((row) => [...row])
}
