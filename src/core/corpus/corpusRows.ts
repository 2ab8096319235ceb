import { parse } from 'csv-parse/sync'

/** A record of the source file before any field is interpreted. */
export interface CorpusRow {
  /** The line the record starts on. */
  line: number
  /** Field → raw value; null when the record could not be read at all (see `problem`). */
  fields: Record<string, unknown> | null
  problem?: string
  /** Every field empty: passed over, not an error. */
  empty?: boolean
  /** Not a record but the rest of the file, which could not be read (an unclosed quote). */
  unread?: boolean
}

export interface CorpusRows {
  /** CSV: the header, in order; JSONL: every key seen, in order of first appearance. */
  columns: string[]
  /** Blank lines never become rows. */
  rows: CorpusRow[]
}

const isBlank = (value: unknown): boolean => value === undefined || value === null || (typeof value === 'string' && value.trim() === '')

/** Reads CSV records with the header as column names. Never throws on malformed content. */
export function readCsvRows(text: string): CorpusRows {
  type Parsed = { record: string[]; info: { lines: number } }
  let unclosed = false
  const skipped: CorpusRow[] = []
  const records = parse(text, {
    info: true,
    relax_column_count: true,
    // A stray quote inside an unquoted field is kept as text instead of failing the record.
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      if (error?.code === 'CSV_QUOTE_NOT_CLOSED') unclosed = true
      else if (error) skipped.push({ line: Math.max(1, Number(error.lines) || 1), fields: null, problem: `could not be read: ${error.message}` })
    }
  }) as unknown as Parsed[]
  const withStart = records.map(({ record, info }) => {
    const newlines = record.reduce((sum, field) => sum + (field.match(/\n/g)?.length ?? 0), 0)
    return { record, start: info.lines - newlines, end: info.lines }
  })
  const [header, ...body] = withStart
  const columns = header ? header.record.map((name) => name.trim()) : []
  const rows: CorpusRow[] = body.map(({ record, start }) => {
    if (record.every((field) => field.trim() === '')) return { line: start, fields: {}, empty: true }
    if (record.length !== columns.length) {
      return {
        line: start,
        fields: null,
        problem: `has ${record.length} field${record.length === 1 ? '' : 's'} but the header names ${columns.length} (a comma outside quotes?)`
      }
    }
    const fields: Record<string, unknown> = {}
    // The first of two same-named columns wins, as the header is read left to right.
    record.forEach((value, position) => {
      const name = columns[position] as string
      if (!(name in fields)) fields[name] = value
    })
    return { line: start, fields }
  })
  rows.push(...skipped)
  if (unclosed) {
    const last = withStart[withStart.length - 1]
    const line = last ? last.end + 1 : 1
    rows.push({
      line,
      fields: null,
      unread: true,
      problem: 'a quoted field that starts on or after this line is never closed; the rest of the file was not read'
    })
  }
  return { columns, rows }
}

/** Reads one JSON object per line. Never throws on malformed content. */
export function readJsonlRows(text: string): CorpusRows {
  const columns: string[] = []
  const seen = new Set<string>()
  const rows: CorpusRow[] = []
  text.split('\n').forEach((source, index) => {
    const line = index + 1
    if (source.trim() === '') return
    let value: unknown
    try {
      value = JSON.parse(source)
    } catch {
      rows.push({ line, fields: null, problem: 'is not valid JSON' })
      return
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      rows.push({ line, fields: null, problem: 'is not a JSON object' })
      return
    }
    const fields = value as Record<string, unknown>
    for (const key of Object.keys(fields)) {
      if (!seen.has(key)) {
        seen.add(key)
        columns.push(key)
      }
    }
    rows.push({ line, fields, empty: Object.values(fields).every(isBlank) })
  })
  return { columns, rows }
}
