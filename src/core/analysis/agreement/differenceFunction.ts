import { AgreementError } from './agreementError.js'
import type { MeasurementLevel } from './measurementLevel.js'
import type { RatingValue } from './reliabilityData.js'
import { numericValue } from './valueDomain.js'

/**
 * Krippendorff's squared difference δ²(c, k) between every pair of values (Krippendorff 2011,
 * "Computing Krippendorff's Alpha-Reliability"). `values` must be in rank order for `ordinal`;
 * `marginals` are the coincidence-matrix marginals n_g, which the ordinal metric is built from:
 * two ranks are far apart when many values fall between them, not when their labels differ a lot.
 */
export function squaredDifferences(
  level: MeasurementLevel,
  values: readonly RatingValue[],
  marginals: readonly number[]
): number[][] {
  const size = values.length
  const numbers = level === 'interval' || level === 'ratio' ? values.map((value) => numericValue(value, () => 'value')) : []
  if (level === 'ratio' && numbers.some((value) => value < 0)) {
    throw new AgreementError('the ratio metric needs non-negative values')
  }
  // Prefix sums of n_g make the ordinal metric O(1) per pair.
  const prefix = [0]
  for (const count of marginals) prefix.push((prefix[prefix.length - 1] ?? 0) + count)
  const delta = Array.from({ length: size }, () => new Array<number>(size).fill(0))
  for (let c = 0; c < size; c++) {
    for (let k = 0; k < size; k++) {
      if (c === k) continue
      let d: number
      switch (level) {
        case 'nominal':
          d = 1
          break
        case 'ordinal': {
          const low = Math.min(c, k)
          const high = Math.max(c, k)
          const between = (prefix[high + 1] ?? 0) - (prefix[low] ?? 0)
          d = (between - ((marginals[c] ?? 0) + (marginals[k] ?? 0)) / 2) ** 2
          break
        }
        case 'interval':
          d = ((numbers[c] ?? 0) - (numbers[k] ?? 0)) ** 2
          break
        case 'ratio': {
          const sum = (numbers[c] ?? 0) + (numbers[k] ?? 0)
          d = sum === 0 ? 0 : (((numbers[c] ?? 0) - (numbers[k] ?? 0)) / sum) ** 2
          break
        }
      }
      ;(delta[c] as number[])[k] = d
    }
  }
  return delta
}
