import type { GwetOptions } from './gwetComponents.js'
import { gwetComponents } from './gwetComponents.js'
import type { ReliabilityData } from './reliabilityData.js'

/**
 * Pairwise percent agreement: in each unit with two or more values, the share of ordered annotator
 * pairs that agree (weighted agreement with `weights`), averaged over those units (Gwet 2014,
 * irrCAC `pa.coeff.raw`). Not chance-corrected. NaN when no unit is pairable.
 */
export function percentAgreement(data: ReliabilityData, options: GwetOptions = {}): number {
  return gwetComponents(data, options).pa
}
