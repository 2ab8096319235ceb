import { z } from 'zod'

/**
 * Which column (CSV) or key (JSONL) holds each field. A name is required to be present; `null`
 * means the corpus has no such field.
 */
export const CorpusColumnsSchema = z.object({
  conversation: z.string().min(1),
  id: z.string().min(1),
  reply_to: z.string().min(1).nullable(),
  author: z.string().min(1),
  text: z.string().min(1),
  /** A yes/no column marking comments of interest, such as `escalated` in Conversations Gone Awry. */
  flag: z.string().min(1).nullable(),
  timestamp: z.string().min(1).nullable()
})
export type CorpusColumns = z.infer<typeof CorpusColumnsSchema>

/**
 * The layout of the CMV "Conversations Gone Awry" CSV that SDF's experiments sampled seeds from
 * (spec §1.2): `conv_id, message_id, reply_to, user, escalated, text`.
 */
export const DEFAULT_CORPUS_COLUMNS: CorpusColumns = {
  conversation: 'conv_id',
  id: 'message_id',
  reply_to: 'reply_to',
  author: 'user',
  text: 'text',
  flag: 'escalated',
  timestamp: null
}

/**
 * Columns as a caller asks for them: a field left undefined takes its default, which for the
 * optional fields (reply_to, flag, timestamp) is used only when the file has that column, so a
 * file without `escalated` imports without a flag instead of failing.
 */
export type CorpusColumnRequest = { [K in keyof CorpusColumns]?: CorpusColumns[K] }

const OPTIONAL_FIELDS = ['reply_to', 'flag', 'timestamp'] as const
const FIELD_FLAGS: Record<keyof CorpusColumns, string> = {
  conversation: '--conversation-column',
  id: '--id-column',
  reply_to: '--reply-to-column',
  author: '--author-column',
  text: '--text-column',
  flag: '--flag-column',
  timestamp: '--timestamp-column'
}

/** The columns to read, or the one problem: a named column the file lacks, with the columns it has. */
export function resolveCorpusColumns(
  request: CorpusColumnRequest,
  found: readonly string[]
): { columns: CorpusColumns } | { problem: string } {
  const present = new Set(found)
  const columns = { ...DEFAULT_CORPUS_COLUMNS }
  const explicit = new Set<keyof CorpusColumns>()
  for (const [field, name] of Object.entries(request) as [keyof CorpusColumns, string | null | undefined][]) {
    if (name === undefined) continue
    ;(columns as Record<string, string | null>)[field] = name
    explicit.add(field)
  }
  for (const field of OPTIONAL_FIELDS) {
    const name = columns[field]
    if (name !== null && !explicit.has(field) && !present.has(name)) columns[field] = null
  }
  const missing = (Object.keys(columns) as (keyof CorpusColumns)[]).filter((field) => {
    const name = columns[field]
    return name !== null && !present.has(name)
  })
  if (missing.length > 0) {
    const listed = found.length > 0 ? found.map((name) => JSON.stringify(name)).join(', ') : 'none'
    const what = missing
      .map((field) => `column "${columns[field] as string}" (${field.replace('_', '-')}; choose another with ${FIELD_FLAGS[field]})`)
      .join(' and ')
    return { problem: `the file has no ${what}; columns found: ${listed}` }
  }
  return { columns }
}
