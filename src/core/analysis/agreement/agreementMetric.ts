import { AgreementError } from './agreementError.js'
import type { WeightKind } from './agreementWeights.js'
import { cohenKappa } from './cohenKappa.js'
import { fleissKappa } from './fleissKappa.js'
import { gwetAC } from './gwetAC.js'
import { krippendorffAlpha } from './krippendorffAlpha.js'
import type { MeasurementLevel } from './measurementLevel.js'
import { percentAgreement } from './percentAgreement.js'
import type { ReliabilityData } from './reliabilityData.js'

/** Any coefficient over reliability data; NaN where it is undefined. */
export type Coefficient = (data: ReliabilityData) => number

export const AGREEMENT_METRICS = ['alpha', 'fleiss', 'ac1', 'cohen', 'percent'] as const
export type AgreementMetric = (typeof AGREEMENT_METRICS)[number]

export function isAgreementMetric(name: string): name is AgreementMetric {
  return (AGREEMENT_METRICS as readonly string[]).includes(name)
}

/**
 * Gwet's weights for a level of measurement (Handbook, ch. 3): the weighted coefficients then
 * treat close categories as partial agreement, as alpha's difference functions do.
 */
export function weightsForLevel(level: MeasurementLevel): WeightKind {
  switch (level) {
    case 'nominal':
      return 'identity'
    case 'ordinal':
      return 'ordinal'
    case 'interval':
      return 'quadratic'
    case 'ratio':
      return 'ratio'
  }
}

/**
 * The coefficient a metric name and level stand for. `ac1` at a level above nominal is Gwet's
 * AC2 with that level's weights; `cohen` likewise becomes weighted kappa. Fleiss' kappa exists
 * for nominal data only, so any other level is refused with the alternatives.
 */
export function agreementCoefficient(metric: AgreementMetric, level: MeasurementLevel): Coefficient {
  switch (metric) {
    case 'alpha':
      return (data) => krippendorffAlpha(data, { level })
    case 'fleiss':
      if (level !== 'nominal') {
        throw new AgreementError(
          `Fleiss' kappa is defined for nominal data only, not ${level}: use alpha (Krippendorff's alpha ` +
            `has a metric for ${level} data) or ac1 (Gwet's AC2 with ${weightsForLevel(level)} weights)`
        )
      }
      return (data) => fleissKappa(data)
    case 'ac1':
      return (data) => gwetAC(data, { weights: weightsForLevel(level) })
    case 'cohen':
      return (data) => cohenKappa(data, { weights: weightsForLevel(level) })
    case 'percent':
      return (data) => percentAgreement(data, { weights: weightsForLevel(level) })
  }
}
