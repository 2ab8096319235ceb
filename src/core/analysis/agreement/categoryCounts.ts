import { AgreementError } from './agreementError.js'
import type { RatingValue, ReliabilityData } from './reliabilityData.js'
import { distinctValues, valueKey } from './valueDomain.js'

/**
 * Gwet's "distribution of raters by subject and category": `counts[i][k]` annotators put unit i
 * in category k. Multi-rater kappa, AC1/AC2 and percent agreement need only this, which is why
 * they, unlike Cohen's kappa, ignore who gave which value.
 */
export interface CategoryCounts {
  readonly categories: readonly RatingValue[]
  readonly counts: readonly (readonly number[])[]
  /** r_i: how many annotators rated unit i. */
  readonly raters: readonly number[]
}

/**
 * Categories default to the values used, in rank order when `ordered` (weighted coefficients
 * need it). Pass the full scale as `categories` when some categories went unused: AC1's chance
 * agreement depends on how many categories there were to choose from.
 */
export function categoryCounts(
  data: ReliabilityData,
  options: { categories?: readonly RatingValue[]; ordered?: boolean } = {}
): CategoryCounts {
  const categories = options.categories
    ? [...options.categories]
    : distinctValues(data, { ordered: options.ordered ?? false })
  const index = new Map(categories.map((value, position) => [valueKey(value), position]))
  if (index.size !== categories.length) throw new AgreementError('categories must be distinct')
  const counts = data.values.map((row, unit) => {
    const perCategory = new Array<number>(categories.length).fill(0)
    row.forEach((value, annotator) => {
      if (value === null) return
      const position = index.get(valueKey(value))
      if (position === undefined) {
        throw new AgreementError(
          `unit ${data.units[unit]}, annotator ${data.annotators[annotator]}: ` +
            `${JSON.stringify(value)} is not one of the categories`
        )
      }
      perCategory[position] = (perCategory[position] ?? 0) + 1
    })
    return perCategory
  })
  const raters = counts.map((row) => row.reduce((sum, count) => sum + count, 0))
  return { categories, counts, raters }
}
