import { z } from 'zod'
import { IdSchema } from '../schema/ids.js'
import { CorpusColumnsSchema } from './corpusColumns.js'
import { CorpusImportReportSchema } from './corpusImportReport.js'

/** One comment of a corpus of real threads, as its file gave it. */
export const CorpusCommentSchema = z.object({
  conversation_id: z.string().min(1),
  /** Unique within its conversation. */
  message_id: z.string().min(1),
  /** The message this one answers, verbatim; null when the file leaves it empty or has no such column. */
  reply_to: z.string().nullable(),
  /** Null when the author field is empty (e.g. deleted accounts). */
  author: z.string().nullable(),
  text: z.string(),
  /** The flag column's value (e.g. `escalated`); null when the corpus has no flag column. */
  flagged: z.boolean().nullable(),
  timestamp: z.string().nullable(),
  /** The line of the source file the row starts on, so any seed can be traced to its row. */
  line: z.number().int().positive()
})
export type CorpusComment = z.infer<typeof CorpusCommentSchema>

/** A corpus's metadata (`corpora/<id>/corpus.json`). */
export const CorpusInfoSchema = z.object({
  id: IdSchema,
  name: z.string().min(1),
  imported_at: z.string(),
  source: z.object({
    file: z.string(),
    format: z.enum(['csv', 'jsonl']),
    sha256: z.string().regex(/^[0-9a-f]{64}$/)
  }),
  columns: CorpusColumnsSchema,
  counts: z.object({
    conversations: z.number().int().nonnegative(),
    comments: z.number().int().nonnegative(),
    flagged: z.number().int().nonnegative().nullable()
  }),
  report: CorpusImportReportSchema
})
export type CorpusInfo = z.infer<typeof CorpusInfoSchema>

/** A corpus with its comments in file order. */
export interface Corpus {
  info: CorpusInfo
  comments: CorpusComment[]
}
