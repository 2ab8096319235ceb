import type { CorpusMapping } from '../../../../shared/index.js'

// Reading a thread file's columns in the browser, before anything is sent to the host, so the
// mapping dialog can offer the file's own column names with the obvious ones already chosen.

export type CorpusFormat = 'csv' | 'jsonl'

/** The fields a corpus comment has, in the order the mapping dialog shows them. */
export const CORPUS_FIELDS = ['conv_id', 'message_id', 'reply_to', 'user', 'text', 'flag', 'timestamp'] as const
export type CorpusField = (typeof CORPUS_FIELDS)[number]

/** Fields a file may lack: null in the mapping means "the file has no such column". */
export const OPTIONAL_CORPUS_FIELDS: readonly CorpusField[] = ['reply_to', 'flag', 'timestamp']

export const CORPUS_FIELD_LABELS: Record<CorpusField, { label: string; description: string }> = {
  conv_id: { label: 'Conversation', description: 'Which thread a comment belongs to' },
  message_id: { label: 'Comment id', description: 'Unique within its conversation' },
  reply_to: { label: 'Reply to', description: 'The id of the comment it answers; none: comments follow each other in file order' },
  user: { label: 'Author', description: 'Who wrote the comment' },
  text: { label: 'Text', description: "The comment's text" },
  flag: { label: 'Flag (optional)', description: 'A yes/no column marking comments of interest, such as escalated' },
  timestamp: { label: 'Timestamp (optional)', description: 'When the comment was written' }
}

/**
 * Column names that usually hold each field, best first, compared without case, spaces, dashes
 * or underscores. The first entry of each is the Conversations Gone Awry header SDF used.
 */
const CANDIDATES: Record<CorpusField, readonly string[]> = {
  conv_id: ['conv_id', 'conversation_id', 'conversation', 'thread_id', 'thread', 'discussion_id', 'link_id', 'post_id', 'submission_id'],
  message_id: ['message_id', 'comment_id', 'msg_id', 'utterance_id', 'id', 'message', 'comment'],
  reply_to: ['reply_to', 'reply_to_id', 'in_reply_to', 'parent_id', 'parent', 'replyto'],
  user: ['user', 'author', 'username', 'user_name', 'speaker', 'user_id', 'author_id', 'name'],
  text: ['text', 'body', 'comment_text', 'content', 'message_text', 'comment', 'message'],
  flag: ['escalated', 'flag', 'flagged', 'derailed', 'toxic', 'is_toxic', 'awry'],
  timestamp: ['timestamp', 'created_utc', 'created_at', 'created', 'time', 'date', 'datetime']
}

const normalise = (name: string) => name.toLowerCase().replace(/[\s_\-.]+/g, '')

/** JSONL when the name says so, or when the first non-blank character opens a JSON object. */
export function sniffCorpusFormat(fileName: string, text: string): CorpusFormat {
  if (/\.(jsonl|ndjson)$/i.test(fileName)) return 'jsonl'
  if (/\.csv$/i.test(fileName)) return 'csv'
  return text.replace(/^\uFEFF/, '').trimStart().startsWith('{') ? 'jsonl' : 'csv'
}

/**
 * The first record of a CSV file (RFC 4180: quoted fields may hold commas, doubled quotes and
 * line breaks), trimmed; a byte order mark is dropped.
 */
export function readCsvHeader(text: string): string[] {
  const source = text.replace(/^\uFEFF/, '')
  const fields: string[] = []
  let field = ''
  let quoted = false
  for (let at = 0; at < source.length; at += 1) {
    const char = source[at] as string
    if (quoted) {
      if (char === '"' && source[at + 1] === '"') {
        field += '"'
        at += 1
      } else if (char === '"') quoted = false
      else field += char
    } else if (char === '"') quoted = true
    else if (char === ',') {
      fields.push(field.trim())
      field = ''
    } else if (char === '\n' || char === '\r') {
      if (fields.length > 0 || field.trim() !== '') break
    } else field += char
  }
  fields.push(field.trim())
  return fields.filter((name, index) => name !== '' || index < fields.length - 1)
}

/** Every key of the first objects of a JSONL file, in first-seen order; lines that are not objects are passed over. */
export function readJsonlKeys(text: string, lines = 50): string[] {
  const keys = new Set<string>()
  let read = 0
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    if (read >= lines) break
    if (line.trim() === '') continue
    read += 1
    try {
      const value: unknown = JSON.parse(line)
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) for (const key of Object.keys(value)) keys.add(key)
    } catch {
      // A broken line is the importer's to report, with its line number.
    }
  }
  return [...keys]
}

/** The column names of a thread file, read from its first part. */
export function readCorpusColumns(fileName: string, text: string): { format: CorpusFormat; columns: string[] } {
  const format = sniffCorpusFormat(fileName, text)
  const columns = format === 'jsonl' ? readJsonlKeys(text) : readCsvHeader(text)
  return { format, columns: [...new Set(columns.filter((name) => name !== ''))] }
}

/** The mapping dialog's values: a column name per field, or null for "none". */
export type CorpusMappingChoice = Record<CorpusField, string | null>

/**
 * The obvious column for each field: the best-ranked candidate the file has, each column used by
 * one field at most (so a file with `id` and `parent_id` maps them to comment id and reply-to).
 */
export function guessCorpusMapping(columns: readonly string[]): CorpusMappingChoice {
  const byName = new Map<string, string>()
  for (const column of columns) if (!byName.has(normalise(column))) byName.set(normalise(column), column)
  const used = new Set<string>()
  const choice = Object.fromEntries(CORPUS_FIELDS.map((field) => [field, null])) as CorpusMappingChoice
  // Exact CGA names first, so `message` is not taken as the text when `message_id` and `text` exist.
  for (let rank = 0; rank < Math.max(...CORPUS_FIELDS.map((field) => CANDIDATES[field].length)); rank += 1) {
    for (const field of CORPUS_FIELDS) {
      if (choice[field] !== null) continue
      const candidate = CANDIDATES[field][rank]
      const column = candidate === undefined ? undefined : byName.get(normalise(candidate))
      if (column !== undefined && !used.has(column)) {
        choice[field] = column
        used.add(column)
      }
    }
  }
  return choice
}

/** The fields the dialog still needs before an import can start, with what to do. */
export function mappingProblems(choice: CorpusMappingChoice): string[] {
  const problems: string[] = []
  for (const field of CORPUS_FIELDS) {
    if (choice[field] === null && !OPTIONAL_CORPUS_FIELDS.includes(field)) problems.push(`Choose the column that holds the ${CORPUS_FIELD_LABELS[field].label.toLowerCase()}`)
  }
  const chosen = CORPUS_FIELDS.map((field) => choice[field]).filter((name): name is string => name !== null)
  const twice = chosen.filter((name, index) => chosen.indexOf(name) !== index)
  if (twice.length > 0) problems.push(`Column ${[...new Set(twice)].map((name) => `"${name}"`).join(', ')} is chosen for two fields`)
  return problems
}

/** The dialog's choice as the contract's mapping: every field explicit, so the host guesses nothing. */
export function choiceToMapping(choice: CorpusMappingChoice): CorpusMapping {
  const required = (field: CorpusField) => {
    const name = choice[field]
    if (name === null) throw new Error(`no column chosen for ${field}`)
    return name
  }
  return {
    conv_id: required('conv_id'),
    message_id: required('message_id'),
    reply_to: choice.reply_to,
    user: required('user'),
    text: required('text'),
    flag: choice.flag,
    timestamp: choice.timestamp
  }
}

/** A corpus name from a file name: the name without its extension. */
export function corpusNameFromFile(fileName: string): string {
  const base = fileName.replace(/\\/g, '/').split('/').pop() ?? fileName
  const stem = base.replace(/\.(csv|jsonl|ndjson|txt)$/i, '')
  return stem === '' ? base : stem
}

/** Bytes as base64, in chunks so a big file does not overflow the argument list of `String.fromCharCode`. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  const chunk = 0x8000
  for (let at = 0; at < bytes.length; at += chunk) binary += String.fromCharCode(...bytes.subarray(at, at + chunk))
  return btoa(binary)
}

/** The id the host derives from a corpus name (as core's `corpusIdFromName`), to tell an existing one in advance. */
export function corpusIdOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .slice(0, 100)
    .replace(/[-_]+$/g, '')
}
