import { readCsvRows } from '../../corpus/corpusRows.js'
import { decodeCorpusText } from '../../corpus/decodeCorpusText.js'
import { HumanLabelImportError } from './humanLabelImportError.js'

/** Columns that say which comment a row labels and who labelled it; every other column is a label. */
export const HUMAN_LABEL_KEY_COLUMNS = ['discussion_id', 'comment_index', 'comment_id', 'annotator', 'created_at'] as const

/** One data row of a human-label CSV, read but not yet checked against the workspace. */
export interface HumanLabelRow {
  /** The file line the row starts on (the header is line 1), as a spreadsheet numbers rows. */
  line: number
  discussionId: string
  commentIndex: number
  annotator: string
  createdAt: string | null
  /** Label column → trimmed cell text; empty cells are left out (the label was not given). */
  cells: Record<string, string>
}

export interface RejectedLabelRow {
  /** The file line the row starts on (header = line 1). */
  line: number
  reason: string
}

export interface HumanLabelCsv {
  /** The label columns, in header order. */
  labels: string[]
  /** How the rows name their comment. */
  keyedBy: 'discussion_id+comment_index' | 'comment_id'
  rows: HumanLabelRow[]
  rejected: RejectedLabelRow[]
  /** Records after the header that were not blank. */
  rowsRead: number
}

const WHOLE_NUMBER = /^\d+$/
/** `<discussion_id>:<comment_index>`, the comment id of `sdf export`'s comments table. */
const COMMENT_ID = /^(.+):(\d+)$/

/**
 * Reads a human-label CSV: one row per annotator × comment, a header naming `annotator`, either
 * `discussion_id` + `comment_index` or `comment_id` (`<discussion_id>:<comment_index>`, as exported),
 * an optional `created_at`, and one column per label. Rows that cannot be read (wrong field count,
 * a missing key, bytes that are not UTF-8, an unreadable index) are rejected one by one with their
 * line; only a file that cannot be a label file at all (binary, empty, lacking key or label
 * columns) throws a HumanLabelImportError.
 */
export function parseHumanLabelCsv(bytes: Uint8Array, file: string): HumanLabelCsv {
  if (bytes.includes(0) && !(bytes[0] === 0xff || bytes[0] === 0xfe)) {
    throw new HumanLabelImportError(`${file} holds binary data, not CSV text; export the sheet as CSV (UTF-8) and try again`)
  }
  const { text, replacedBytes } = decodeCorpusText(bytes)
  if (text.trim() === '') throw new HumanLabelImportError(`${file} is empty: expected a header row and one row per annotator × comment`)
  const { columns, rows } = readCsvRows(text)
  const keyedBy = keyColumnsOf(columns, file)
  const labels = columns.filter(
    (name, position) => name !== '' && !(HUMAN_LABEL_KEY_COLUMNS as readonly string[]).includes(name) && columns.indexOf(name) === position
  )
  const blank = columns.findIndex((name) => name === '')
  if (blank >= 0) throw new HumanLabelImportError(`${file}: column ${blank + 1} has no name in the header; name it or delete it`)
  const repeated = columns.find((name, position) => columns.indexOf(name) !== position)
  if (repeated !== undefined) throw new HumanLabelImportError(`${file}: the header names column "${repeated}" twice; rename or remove one`)
  if (labels.length === 0) {
    throw new HumanLabelImportError(
      `${file} has no label columns: besides ${columnList(columns)} add one column per label (e.g. toxicity)`
    )
  }

  const parsed: HumanLabelRow[] = []
  const rejected: RejectedLabelRow[] = []
  let rowsRead = 0
  for (const row of rows) {
    if (row.empty) continue
    rowsRead += 1
    if (row.fields === null) {
      rejected.push({ line: row.line, reason: row.problem ?? 'could not be read' })
      continue
    }
    const cell = (name: string): string => String(row.fields?.[name] ?? '').trim()
    // U+FFFD is what undecodable bytes became, here or in the browser that read the file as text:
    // a label or key built from it would be wrong, so the row is rejected, not guessed at.
    if (Object.values(row.fields).some((value) => typeof value === 'string' && value.includes('\uFFFD'))) {
      rejected.push({
        line: row.line,
        reason:
          (replacedBytes ? 'holds bytes that are not UTF-8' : 'holds U+FFFD, the mark of bytes that were not UTF-8') +
          ' (shown as \uFFFD); save the file as UTF-8 and import this row again'
      })
      continue
    }
    const result = readRow(keyedBy, cell, labels)
    if ('reason' in result) rejected.push({ line: row.line, reason: result.reason })
    else parsed.push({ line: row.line, ...result })
  }
  return { labels, keyedBy, rows: parsed, rejected, rowsRead }
}

function keyColumnsOf(columns: readonly string[], file: string): HumanLabelCsv['keyedBy'] {
  const missing: string[] = []
  if (!columns.includes('annotator')) missing.push('"annotator"')
  const byPair = columns.includes('discussion_id') && columns.includes('comment_index')
  const byId = columns.includes('comment_id')
  if (!byPair && !byId) missing.push('"discussion_id" and "comment_index" (or one "comment_id" column, <discussion_id>:<comment_index>)')
  if (missing.length > 0) {
    throw new HumanLabelImportError(
      `${file} lacks the column${missing.length === 1 ? '' : 's'} ${missing.join(' and ')}; ` +
        `the header names ${columnList(columns)}`
    )
  }
  return byPair ? 'discussion_id+comment_index' : 'comment_id'
}

function readRow(
  keyedBy: HumanLabelCsv['keyedBy'],
  cell: (name: string) => string,
  labels: readonly string[]
): Omit<HumanLabelRow, 'line'> | { reason: string } {
  let discussionId: string
  let indexText: string
  if (keyedBy === 'discussion_id+comment_index') {
    discussionId = cell('discussion_id')
    indexText = cell('comment_index')
    if (discussionId === '') return { reason: 'discussion_id is empty' }
    if (indexText === '') return { reason: 'comment_index is empty' }
  } else {
    const commentId = cell('comment_id')
    if (commentId === '') return { reason: 'comment_id is empty' }
    const match = COMMENT_ID.exec(commentId)
    if (!match) return { reason: `comment_id "${commentId}" is not <discussion_id>:<comment_index> (e.g. disc-1:3)` }
    discussionId = match[1]!
    indexText = match[2]!
  }
  if (!WHOLE_NUMBER.test(indexText) || !Number.isSafeInteger(Number(indexText))) {
    return { reason: `comment_index "${indexText}" is not a whole number ≥ 0 (comments are numbered from 0)` }
  }
  const annotator = cell('annotator')
  if (annotator === '') return { reason: 'annotator is empty: every row needs the name or code of the person who labelled it' }
  const cells: Record<string, string> = {}
  for (const label of labels) {
    const value = cell(label)
    if (value !== '') cells[label] = value
  }
  if (Object.keys(cells).length === 0) return { reason: `gives no value for any label (${labels.join(', ')})` }
  const createdAt = cell('created_at')
  return { discussionId, commentIndex: Number(indexText), annotator, createdAt: createdAt === '' ? null : createdAt, cells }
}

function columnList(columns: readonly string[]): string {
  return columns.length === 0 ? 'no columns' : columns.map((name) => `"${name}"`).join(', ')
}
