import type { RatingValue, ReliabilityData } from './reliabilityData.js'
import { unitValues } from './reliabilityData.js'
import { valueKey } from './valueDomain.js'

/**
 * Krippendorff's coincidence matrix: `counts[c][k]` is how often values c and k were paired within
 * a unit, each unit's m(m−1) ordered pairs weighted 1/(m−1) so every pairable value counts once.
 * Units with fewer than two values contribute nothing.
 */
export interface CoincidenceMatrix {
  readonly values: readonly RatingValue[]
  readonly counts: readonly (readonly number[])[]
  /** n_c: row sums, the pairable values per category. */
  readonly marginals: readonly number[]
  /** n: all pairable values. */
  readonly total: number
}

export function coincidenceMatrix(data: ReliabilityData, values: readonly RatingValue[]): CoincidenceMatrix {
  const index = new Map(values.map((value, position) => [valueKey(value), position]))
  const size = values.length
  const counts = Array.from({ length: size }, () => new Array<number>(size).fill(0))
  for (let unit = 0; unit < data.values.length; unit++) {
    const present = unitValues(data, unit)
    const m = present.length
    if (m < 2) continue
    const perValue = new Map<number, number>()
    for (const value of present) {
      const position = index.get(valueKey(value))
      if (position === undefined) throw new Error(`value ${String(value)} missing from the value list`)
      perValue.set(position, (perValue.get(position) ?? 0) + 1)
    }
    for (const [c, nc] of perValue) {
      const row = counts[c] as number[]
      for (const [k, nk] of perValue) row[k] = (row[k] ?? 0) + (nc * (c === k ? nk - 1 : nk)) / (m - 1)
    }
  }
  const marginals = counts.map((row) => row.reduce((sum, count) => sum + count, 0))
  return { values, counts, marginals, total: marginals.reduce((sum, count) => sum + count, 0) }
}
