import type { GwetOptions } from './gwetComponents.js'
import { gwetComponents } from './gwetComponents.js'
import type { ReliabilityData } from './reliabilityData.js'

/**
 * Fleiss' kappa, in the generalisation Gwet gives for missing values and unequal numbers of
 * raters per unit (Gwet 2014, Handbook; irrCAC `fleiss.kappa.raw`): observed agreement over units
 * with two or more values, pe = Σ_kl w_kl π_k π_l with π_k averaged over every rated unit. With
 * the same number of raters on every unit and identity weights this is exactly Fleiss (1971).
 *
 * NaN when no unit is pairable or only one category was used (chance agreement is then 1).
 */
export function fleissKappa(data: ReliabilityData, options: GwetOptions = {}): number {
  const { pa, pi, weights } = gwetComponents(data, options)
  let pe = 0
  pi.forEach((pk, k) => pi.forEach((pl, l) => (pe += (weights[k]?.[l] ?? 0) * pk * pl)))
  if (pe >= 1) return Number.NaN
  return (pa - pe) / (1 - pe)
}
