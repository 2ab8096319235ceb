import { AgreementError } from './agreementError.js'
import type { RatingValue, ReliabilityData } from './reliabilityData.js'

/** Identity of a value as a category: `1` and `"1"` differ, as they do in a JSON annotation. */
export function valueKey(value: RatingValue): string {
  return `${typeof value}:${String(value)}`
}

/**
 * The distinct values of the data, sorted: numbers ascending, `false` before `true`, strings in
 * the given `order` (or by code point when none is given and order does not matter). Mixing kinds
 * is rejected when `ordered` because no order between, say, 3 and "high" exists.
 */
export function distinctValues(
  data: ReliabilityData,
  options: { ordered?: boolean; order?: readonly RatingValue[] } = {}
): RatingValue[] {
  const seen = new Map<string, RatingValue>()
  for (const row of data.values) {
    for (const value of row) if (value !== null && !seen.has(valueKey(value))) seen.set(valueKey(value), value)
  }
  const values = [...seen.values()]
  if (options.order) {
    const rank = new Map(options.order.map((value, index) => [valueKey(value), index]))
    for (const value of values) {
      if (!rank.has(valueKey(value))) {
        throw new AgreementError(`value ${JSON.stringify(value)} is not in the given order`)
      }
    }
    return [...options.order].filter((value, index, all) => {
      const key = valueKey(value)
      return seen.has(key) && all.findIndex((other) => valueKey(other) === key) === index
    })
  }
  const kinds = new Set(values.map((value) => typeof value))
  if (options.ordered && kinds.size > 1) {
    throw new AgreementError(`values mix ${[...kinds].join(' and ')}: give an explicit order`)
  }
  if (options.ordered && kinds.has('string')) {
    throw new AgreementError('string values have no natural order: give an explicit order of categories')
  }
  return values.sort(compareValues)
}

function compareValues(a: RatingValue, b: RatingValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b)
  const left = valueKey(a)
  const right = valueKey(b)
  return left < right ? -1 : left > right ? 1 : 0
}

/** A value as a number for metrics that measure distances; booleans are 0/1, strings are refused. */
export function numericValue(value: RatingValue, where: () => string): number {
  if (typeof value === 'number') return value
  if (typeof value === 'boolean') return Number(value)
  throw new AgreementError(`${where()}: ${JSON.stringify(value)} is not a number`)
}
