import { AgreementError } from './agreementError.js'

/** One annotator's value for one unit. Booleans and strings are categories; numbers may be measures. */
export type RatingValue = number | string | boolean

/**
 * The common input of every coefficient: units (rows) × annotators (columns), `null` where an
 * annotator gave the unit no value. Krippendorff calls this the reliability data matrix; we keep
 * it unit-major because units are what bootstraps and per-discussion splits select.
 */
export interface ReliabilityData {
  readonly units: readonly string[]
  readonly annotators: readonly string[]
  /** `values[u][a]`: what annotator `a` gave unit `u`, or null. */
  readonly values: readonly (readonly (RatingValue | null)[])[]
}

export interface ReliabilityDataNames {
  units?: readonly string[]
  annotators?: readonly string[]
}

/**
 * Builds and checks reliability data from a units × annotators matrix. Names default to `u1…`
 * and `a1…`. `undefined` cells count as missing; NaN and infinities are rejected because they
 * would silently poison every sum.
 */
export function reliabilityData(
  rows: readonly (readonly (RatingValue | null | undefined)[])[],
  names: ReliabilityDataNames = {}
): ReliabilityData {
  const width = names.annotators?.length ?? rows[0]?.length ?? 0
  const annotators = names.annotators ?? Array.from({ length: width }, (_, index) => `a${index + 1}`)
  const units = names.units ?? rows.map((_, index) => `u${index + 1}`)
  if (units.length !== rows.length) {
    throw new AgreementError(`${units.length} unit names for ${rows.length} rows`)
  }
  if (new Set(annotators).size !== annotators.length) {
    throw new AgreementError('annotator names must be unique')
  }
  const values = rows.map((row, unit) => {
    if (row.length !== width) {
      throw new AgreementError(`row ${unit + 1} (${units[unit]}) has ${row.length} values, expected ${width}`)
    }
    return row.map((value, annotator) => {
      if (value === undefined || value === null) return null
      if (typeof value === 'number' && !Number.isFinite(value)) {
        throw new AgreementError(`unit ${units[unit]}, annotator ${annotators[annotator]}: ${value} is not a finite number`)
      }
      return value
    })
  })
  return { units: [...units], annotators: [...annotators], values }
}

/** The values a unit received, missing ones left out. */
export function unitValues(data: ReliabilityData, unit: number): RatingValue[] {
  const row = data.values[unit] ?? []
  return row.filter((value): value is RatingValue => value !== null)
}

/** Units with values from at least two annotators: the only ones any coefficient can compare. */
export function pairableUnitCount(data: ReliabilityData): number {
  let count = 0
  for (let unit = 0; unit < data.values.length; unit++) if (unitValues(data, unit).length >= 2) count++
  return count
}

/** The same data restricted to some units (indices may repeat, as a bootstrap sample does). */
export function selectUnits(data: ReliabilityData, indices: readonly number[]): ReliabilityData {
  return {
    units: indices.map((index) => data.units[index] ?? `u${index + 1}`),
    annotators: data.annotators,
    values: indices.map((index) => {
      const row = data.values[index]
      if (!row) throw new AgreementError(`no unit at index ${index}`)
      return row
    })
  }
}

/** The same data restricted to some annotators, in the order given. */
export function selectAnnotators(data: ReliabilityData, names: readonly string[]): ReliabilityData {
  const columns = names.map((name) => {
    const column = data.annotators.indexOf(name)
    if (column < 0) throw new AgreementError(`no annotator named ${JSON.stringify(name)}`)
    return column
  })
  return {
    units: data.units,
    annotators: [...names],
    values: data.values.map((row) => columns.map((column) => row[column] ?? null))
  }
}
