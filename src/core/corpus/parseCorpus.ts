import type { CorpusComment } from './corpus.js'
import { resolveCorpusColumns, type CorpusColumnRequest, type CorpusColumns } from './corpusColumns.js'
import { CorpusError } from './corpusError.js'
import { REPORT_LIST_LIMIT, type CorpusImportReport, type CorpusWarning, type RejectedRow } from './corpusImportReport.js'
import { readCsvRows, readJsonlRows } from './corpusRows.js'
import { decodeCorpusText } from './decodeCorpusText.js'

export type CorpusFormat = 'csv' | 'jsonl'

export interface ParseCorpusOptions {
  /** Named in the report and in error messages. */
  file: string
  format: CorpusFormat
  columns?: CorpusColumnRequest
}

export interface ParsedCorpus {
  columns: CorpusColumns
  comments: CorpusComment[]
  report: CorpusImportReport
}

const TRUE_WORDS = new Set(['1', 'true', 't', 'yes', 'y'])
const FALSE_WORDS = new Set(['0', 'false', 'f', 'no', 'n', ''])

/** A flag cell as a boolean; undefined when it reads as neither (pandas' `1.0` counts as a number). */
function readFlag(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (typeof value === 'number') return value !== 0
  if (value === null || value === undefined) return false
  if (typeof value !== 'string') return undefined
  const word = value.trim().toLowerCase()
  if (TRUE_WORDS.has(word)) return true
  if (FALSE_WORDS.has(word)) return false
  const number = Number(word)
  return Number.isFinite(number) ? number !== 0 : undefined
}

/** A cell as text: numbers as written (JSONL ids are often numbers); undefined for anything else. */
function readText(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  return undefined
}

const emptyToNull = (value: string | undefined): string | null => {
  const trimmed = value?.trim()
  return trimmed === undefined || trimmed === '' ? null : trimmed
}

/**
 * Reads a corpus file into comments and a report. Bad rows are rejected one by one with the reason
 * and the line they start on; only a file that cannot be a corpus at all (empty, or lacking a named
 * column) throws a CorpusError. Ids and authors are trimmed, since stray spaces around an id break
 * reply_to links; comment text is kept exactly.
 */
export function parseCorpus(bytes: Uint8Array, options: ParseCorpusOptions): ParsedCorpus {
  const { text, replacedBytes } = decodeCorpusText(bytes)
  if (text.trim() === '') throw new CorpusError(`${options.file} is empty`)
  const { columns: found, rows } = options.format === 'csv' ? readCsvRows(text) : readJsonlRows(text)
  const resolved = resolveCorpusColumns(options.columns ?? {}, found)
  if ('problem' in resolved) throw new CorpusError(`${options.file}: ${resolved.problem}`)
  const { columns } = resolved

  const rejected: RejectedRow[] = []
  const warnings: CorpusWarning[] = []
  const comments: CorpusComment[] = []
  const firstLine = new Map<string, number>()
  let emptyRows = 0
  const replacedLines: number[] = []

  for (const row of rows) {
    if (row.fields === null) {
      rejected.push({ line: row.line, reason: row.problem ?? 'could not be read' })
      continue
    }
    if (row.empty) {
      emptyRows += 1
      continue
    }
    const fields = row.fields
    const cell = (name: string | null): unknown => (name === null ? undefined : fields[name])
    if (replacedBytes && Object.values(fields).some((value) => typeof value === 'string' && value.includes('\uFFFD'))) {
      replacedLines.push(row.line)
    }
    const conversation = emptyToNull(readText(cell(columns.conversation)))
    const id = emptyToNull(readText(cell(columns.id)))
    const text = readText(cell(columns.text))
    const problems: string[] = []
    if (conversation === null) problems.push(`no conversation id (${columns.conversation} is empty)`)
    if (id === null) problems.push(`no message id (${columns.id} is empty)`)
    if (text === undefined) {
      problems.push(cell(columns.text) === undefined || cell(columns.text) === null ? `no ${columns.text}` : `${columns.text} is not text`)
    }
    if (problems.length > 0 || conversation === null || id === null || text === undefined) {
      rejected.push({ line: row.line, reason: problems.join('; ') })
      continue
    }
    const key = JSON.stringify([conversation, id])
    const first = firstLine.get(key)
    if (first !== undefined) {
      rejected.push({
        line: row.line,
        reason: `duplicate message id "${id}" in conversation "${conversation}" (first on line ${first}, which is kept)`
      })
      continue
    }
    firstLine.set(key, row.line)
    let flagged: boolean | null = null
    if (columns.flag !== null) {
      const value = readFlag(cell(columns.flag))
      if (value === undefined) {
        warnings.push({ line: row.line, message: `${columns.flag} value ${JSON.stringify(cell(columns.flag))} is not yes/no; read as not flagged` })
      }
      flagged = value ?? false
    }
    comments.push({
      conversation_id: conversation,
      message_id: id,
      reply_to: emptyToNull(readText(cell(columns.reply_to))),
      author: emptyToNull(readText(cell(columns.author))),
      text,
      flagged,
      timestamp: emptyToNull(readText(cell(columns.timestamp))),
      line: row.line
    })
  }

  warnings.push(...replyWarnings(comments))
  warnings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
  if (replacedLines.length > 0) {
    warnings.unshift({
      line: null,
      message:
        `the file is not valid UTF-8: bytes on ${replacedLines.length} row${replacedLines.length === 1 ? '' : 's'} ` +
        `were replaced with "\uFFFD" (line${replacedLines.length === 1 ? '' : 's'} ${listLines(replacedLines)}); ` +
        're-save the file as UTF-8 to keep those characters'
    })
  }
  rejected.sort((a, b) => a.line - b.line)
  const conversations = new Set(comments.map((comment) => comment.conversation_id)).size
  const report: CorpusImportReport = {
    file: options.file,
    format: options.format,
    rows_read: rows.filter((row) => !row.unread).length,
    empty_rows: emptyRows,
    conversations,
    comments: comments.length,
    flagged: columns.flag === null ? null : comments.filter((comment) => comment.flagged === true).length,
    rejected_count: rejected.length,
    rejected: rejected.slice(0, REPORT_LIST_LIMIT),
    warning_count: warnings.length,
    warnings: warnings.slice(0, REPORT_LIST_LIMIT),
    columns_found: found
  }
  return { columns, comments, report }
}

function listLines(lines: readonly number[]): string {
  const shown = lines.slice(0, 20).join(', ')
  return lines.length > 20 ? `${shown}, … ${lines.length - 20} more` : shown
}

/** reply_to values that name no earlier message of their conversation: kept, but they cannot be followed. */
function replyWarnings(comments: readonly CorpusComment[]): CorpusWarning[] {
  const warnings: CorpusWarning[] = []
  const seen = new Map<string, Set<string>>()
  const all = new Map<string, Set<string>>()
  for (const comment of comments) {
    const ids = all.get(comment.conversation_id) ?? new Set<string>()
    ids.add(comment.message_id)
    all.set(comment.conversation_id, ids)
  }
  for (const comment of comments) {
    const earlier = seen.get(comment.conversation_id) ?? new Set<string>()
    const target = comment.reply_to
    if (target !== null && !earlier.has(target)) {
      const where = `conversation "${comment.conversation_id}"`
      const problem =
        target === comment.message_id
          ? `message "${target}" replies to itself`
          : all.get(comment.conversation_id)?.has(target)
            ? `reply_to "${target}" comes later in ${where}`
            : `reply_to "${target}" is not a message of ${where}`
      const outcome = earlier.size > 0 ? 'seeds treat it as replying to the comment before it' : 'it opens its conversation'
      warnings.push({ line: comment.line, message: `${problem}; ${outcome}` })
    }
    earlier.add(comment.message_id)
    seen.set(comment.conversation_id, earlier)
  }
  return warnings
}
