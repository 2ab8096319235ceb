import type { GwetOptions } from './gwetComponents.js'
import { gwetComponents } from './gwetComponents.js'
import type { ReliabilityData } from './reliabilityData.js'

/**
 * Gwet's AC1 (identity weights) or AC2 (any other weights) for any number of annotators with
 * missing values (Gwet 2008, "Computing inter-rater reliability and its variance in the presence
 * of high agreement"; Gwet 2014, Handbook, ch. 2–3; irrCAC `gwet.ac1.raw`):
 * pe = (Σ_kl w_kl) · Σ_k π_k(1 − π_k) / (q(q − 1)).
 *
 * With a single category pe is taken as 0, as irrCAC does, so AC1 is the percent agreement (1).
 * NaN when no unit is pairable.
 */
export function gwetAC(data: ReliabilityData, options: GwetOptions = {}): number {
  const { pa, pi, weights } = gwetComponents(data, options)
  const q = pi.length
  let pe = 0
  if (q >= 2) {
    const weightTotal = weights.reduce((sum, row) => sum + row.reduce((rowSum, w) => rowSum + w, 0), 0)
    const spread = pi.reduce((sum, p) => sum + p * (1 - p), 0)
    pe = (weightTotal * spread) / (q * (q - 1))
  }
  return (pa - pe) / (1 - pe)
}

/** Gwet's AC1: the unweighted (nominal) coefficient. */
export function gwetAC1(data: ReliabilityData, options: Omit<GwetOptions, 'weights'> = {}): number {
  return gwetAC(data, { ...options, weights: 'identity' })
}
