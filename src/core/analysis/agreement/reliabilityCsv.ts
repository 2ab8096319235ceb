import { CsvError, parse } from 'csv-parse/sync'
import { AgreementError } from './agreementError.js'
import type { RatingValue, ReliabilityData } from './reliabilityData.js'

/** Header names (any case) that make the first column unit ids rather than an annotator. */
export const UNIT_COLUMN_NAMES: readonly string[] = ['unit', 'id']

/**
 * A reliability CSV as read, before values are typed: one row per unit, one column per annotator,
 * the header naming the annotators, an optional first column `unit`/`id` naming the units.
 */
export interface ReliabilityCsv {
  readonly units: readonly string[]
  readonly annotators: readonly string[]
  /** Trimmed cell text; null for a missing value. */
  readonly cells: readonly (readonly (string | null)[])[]
  readonly hasUnitColumn: boolean
}

export interface ReliabilityCsvOptions {
  /** Cell texts that mean "no value" besides the empty cell, e.g. `NA` or `*`. */
  missing?: readonly string[]
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/

/**
 * Parses RFC 4180 CSV (quoted fields may hold commas, quotes and newlines). Rows are numbered as a
 * spreadsheet shows them, the header being row 1. Refuses text that is not CSV, a ragged row, a
 * header without annotators, blank or repeated annotator names and repeated unit ids.
 */
export function parseReliabilityCsv(text: string, options: ReliabilityCsvOptions = {}): ReliabilityCsv {
  if (text.includes('\u0000')) throw new AgreementError('this is not a CSV text file (it holds binary data)')
  let records: string[][]
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true })
  } catch (error) {
    if (error instanceof CsvError) throw new AgreementError(`this is not valid CSV: ${error.message}`)
    throw error
  }
  const [header, ...rows] = records
  if (!header) throw new AgreementError('the file is empty: expected a header row naming the annotators')
  const names = header.map((name) => name.trim())
  const hasUnitColumn = UNIT_COLUMN_NAMES.includes((names[0] ?? '').toLowerCase())
  const annotators = hasUnitColumn ? names.slice(1) : names
  if (annotators.length === 0) throw new AgreementError('the header names no annotator columns')
  annotators.forEach((name, index) => {
    const column = index + (hasUnitColumn ? 2 : 1)
    if (name === '') throw new AgreementError(`column ${column} has no annotator name in the header (row 1)`)
    const first = annotators.indexOf(name)
    if (first !== index) {
      const firstColumn = first + (hasUnitColumn ? 2 : 1)
      throw new AgreementError(`annotator ${JSON.stringify(name)} names two columns (${firstColumn} and ${column})`)
    }
  })
  const missing = new Set(['', ...(options.missing ?? []).map((token) => token.trim())])
  const units: string[] = []
  const firstRowOfUnit = new Map<string, number>()
  const cells = rows.map((record, index) => {
    const row = index + 2
    if (record.length !== header.length) {
      throw new AgreementError(`row ${row} has ${record.length} fields but the header has ${header.length}`)
    }
    const unit = hasUnitColumn ? (record[0] ?? '').trim() : String(index + 1)
    if (unit === '') throw new AgreementError(`row ${row} has no unit id in column 1 (${names[0]})`)
    const earlier = firstRowOfUnit.get(unit)
    if (earlier !== undefined) throw new AgreementError(`unit ${JSON.stringify(unit)} appears in rows ${earlier} and ${row}`)
    firstRowOfUnit.set(unit, row)
    units.push(unit)
    return (hasUnitColumn ? record.slice(1) : record).map((cell) => {
      const trimmed = cell.trim()
      return missing.has(trimmed) ? null : trimmed
    })
  })
  return { units, annotators, cells, hasUnitColumn }
}

/**
 * Types the cells. With `numeric` every value must be a decimal number (the error names the row
 * and the annotator column); otherwise cells become numbers when all of them are, so `1` and
 * `1.0` are one category, and stay text when any is not.
 */
export function reliabilityDataFromCsv(csv: ReliabilityCsv, options: { numeric: boolean }): ReliabilityData {
  const allNumeric = csv.cells.every((row) => row.every((cell) => cell === null || NUMBER.test(cell)))
  const offset = csv.hasUnitColumn ? 2 : 1
  const values = csv.cells.map((row, index) =>
    row.map((cell, column): RatingValue | null => {
      if (cell === null) return null
      if (NUMBER.test(cell)) return allNumeric || options.numeric ? Number(cell) : cell
      if (options.numeric) {
        throw new AgreementError(
          `row ${index + 2}, column ${column + offset} (${csv.annotators[column]}): ${JSON.stringify(cell)} is not a number`
        )
      }
      return cell
    })
  )
  return { units: csv.units, annotators: csv.annotators, values }
}
