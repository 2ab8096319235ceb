import type { CellValue } from './tableColumn.js'

const NEEDS_QUOTES = /[",\r\n]/

/**
 * One RFC 4180 field. Null is an empty field and the empty string a quoted `""`, so readers that
 * tell them apart (DuckDB, R's readr) see what the workspace held.
 */
export function csvField(value: CellValue): string {
  if (value === null) return ''
  if (typeof value === 'string') {
    if (value === '') return '""'
    return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  return value ? 'true' : 'false'
}
