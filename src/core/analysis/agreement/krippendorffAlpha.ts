import { coincidenceMatrix } from './coincidenceMatrix.js'
import { squaredDifferences } from './differenceFunction.js'
import type { MeasurementLevel } from './measurementLevel.js'
import type { RatingValue, ReliabilityData } from './reliabilityData.js'
import { distinctValues, numericValue } from './valueDomain.js'

export interface KrippendorffAlphaOptions {
  level?: MeasurementLevel
  /** Rank order of the categories for `ordinal` when they are strings. */
  order?: readonly RatingValue[]
}

/**
 * Krippendorff's alpha = 1 − D_o / D_e through the coincidence matrix, for any number of
 * annotators and missing values (units with fewer than two values are not pairable and drop out).
 *
 * NaN when alpha is undefined (0/0): no unit is pairable, or every pairable value is the same so
 * there is no expected disagreement to compare with. Throws AgreementError when a value does not
 * fit the level (a string for interval or ratio, a negative number for ratio).
 */
export function krippendorffAlpha(data: ReliabilityData, options: KrippendorffAlphaOptions = {}): number {
  const level = options.level ?? 'nominal'
  if (level === 'interval' || level === 'ratio') assertNumeric(data)
  const values = distinctValues(data, {
    ordered: level !== 'nominal',
    ...(options.order ? { order: options.order } : {})
  })
  const matrix = coincidenceMatrix(data, values)
  const n = matrix.total
  if (n === 0) return Number.NaN
  const delta = squaredDifferences(level, values, matrix.marginals)
  let observed = 0
  let expected = 0
  for (let c = 0; c < values.length; c++) {
    const row = delta[c] ?? []
    const counts = matrix.counts[c] ?? []
    for (let k = 0; k < values.length; k++) {
      const d = row[k] ?? 0
      observed += (counts[k] ?? 0) * d
      expected += (matrix.marginals[c] ?? 0) * (matrix.marginals[k] ?? 0) * d
    }
  }
  if (expected === 0) return Number.NaN
  return 1 - ((n - 1) * observed) / expected
}

function assertNumeric(data: ReliabilityData): void {
  data.values.forEach((row, unit) =>
    row.forEach((value, annotator) => {
      if (value !== null) {
        numericValue(value, () => `unit ${data.units[unit]}, annotator ${data.annotators[annotator]}`)
      }
    })
  )
}
