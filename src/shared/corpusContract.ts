import { z } from 'zod'
import { RecordIdSchema } from './records.js'

// The contract's methods for corpora of real comment threads: importing an uploaded CSV or JSONL
// file with a column mapping, listing corpora, and browsing their threads with the reply-to
// structure. Spread into `appContract`; written by `createCorpusMethods`.

const NoInputSchema = z.strictObject({})
const Count = z.number().int().nonnegative()
const ColumnName = z.string().min(1).max(256)

/**
 * Which column (CSV) or key (JSONL) holds each field; a field left out takes its default (the
 * Conversations Gone Awry header: `conv_id, message_id, reply_to, user, escalated, text`). `null`
 * for `reply_to`, `flag` or `timestamp`: the file has no such column.
 */
export const CorpusMappingSchema = z.strictObject({
  conv_id: ColumnName.optional(),
  message_id: ColumnName.optional(),
  /** Null: comments follow each other in file order. */
  reply_to: ColumnName.nullable().optional(),
  user: ColumnName.optional(),
  text: ColumnName.optional(),
  /** A yes/no column marking comments of interest (default `escalated`, when present). */
  flag: ColumnName.nullable().optional(),
  timestamp: ColumnName.nullable().optional()
})

export type CorpusMapping = z.infer<typeof CorpusMappingSchema>

export const CorpusImportInputSchema = z.strictObject({
  /** The uploaded file's name: named in the report; `.jsonl`/`.ndjson` read as JSONL unless `format` says. */
  fileName: z.string().min(1).max(1024),
  /** The file's contents: text, or base64 (`encoding: "base64"`) so bytes that are not UTF-8 arrive as they are. */
  content: z.string().max(150 * 1024 * 1024),
  encoding: z.enum(['text', 'base64']).default('text'),
  /** The corpus's name; its id is derived from it. Default: the file name without its extension. */
  name: z.string().min(1).max(200).optional(),
  format: z.enum(['csv', 'jsonl']).optional(),
  mapping: CorpusMappingSchema.optional(),
  /** Replace a corpus with the same id instead of refusing. */
  replace: z.boolean().default(false),
  /** Also store every conversation as a discussion (conditions source=human), to annotate and chart it. */
  discussions: z.boolean().default(false)
})

export const CorpusColumnsSchema = z.object({
  conversation: z.string(),
  id: z.string(),
  reply_to: z.string().nullable(),
  author: z.string(),
  text: z.string(),
  flag: z.string().nullable(),
  timestamp: z.string().nullable()
})

export const CorpusSummarySchema = z.object({
  id: RecordIdSchema,
  name: z.string(),
  importedAt: z.string(),
  /** The file it was imported from, as named then. */
  fileName: z.string(),
  format: z.enum(['csv', 'jsonl']),
  sha256: z.string(),
  /** The columns that were read for each field. */
  columns: CorpusColumnsSchema,
  counts: z.object({ conversations: Count, comments: Count, flagged: Count.nullable() }),
  /** Rows rejected at import, and warnings (see the stored report). */
  rejected: Count,
  warnings: Count
})

export type CorpusSummary = z.infer<typeof CorpusSummarySchema>

/** What an import did, row by row where it matters. */
export const CorpusImportReportSchema = z.object({
  file: z.string(),
  format: z.enum(['csv', 'jsonl']),
  rows_read: Count,
  /** Rows with every field empty: passed over, not errors. */
  empty_rows: Count,
  conversations: Count,
  comments: Count,
  flagged: Count.nullable(),
  /** Every rejected row is counted; the first 200 are listed with the line they start on and why. */
  rejected_count: Count,
  rejected: z.array(z.object({ line: z.number().int().positive(), reason: z.string() })),
  warning_count: Count,
  warnings: z.array(z.object({ line: z.number().int().positive().nullable(), message: z.string() })),
  columns_found: z.array(z.string())
})

export type CorpusImportReport = z.infer<typeof CorpusImportReportSchema>

export const CorpusBrowseInputSchema = z.strictObject({
  corpusId: RecordIdSchema,
  offset: Count.default(0),
  limit: z.number().int().min(1).max(1000).default(50),
  /** One conversation's comments instead of the list of conversations. */
  threadId: z.string().min(1).max(1024).optional()
})

export const CorpusThreadSummarySchema = z.object({
  conversationId: z.string(),
  comments: Count,
  flagged: Count.nullable(),
  authors: Count,
  /** The opening comment, cut short. */
  excerpt: z.string()
})

export const CorpusThreadCommentSchema = z.object({
  /** Position in the conversation, in file order. */
  index: Count,
  messageId: z.string(),
  replyTo: z.string().nullable(),
  /** Position of the comment it answers (an earlier one), or null. */
  parentIndex: Count.nullable(),
  /** How many replies deep: 0 for a comment that answers none. */
  depth: Count,
  author: z.string().nullable(),
  text: z.string(),
  flagged: z.boolean().nullable(),
  timestamp: z.string().nullable(),
  /** The line of the imported file. */
  line: z.number().int().positive()
})

export const CorpusPageSchema = z.object({
  corpus: CorpusSummarySchema,
  threadCount: Count,
  /** A page of conversations, when no `threadId` was given. */
  threads: z.array(CorpusThreadSummarySchema),
  /** A page of one conversation's comments, when `threadId` was given. */
  thread: z.object({ conversationId: z.string(), total: Count, comments: z.array(CorpusThreadCommentSchema) }).nullable()
})

export type CorpusPage = z.infer<typeof CorpusPageSchema>

export const corpusMethodSpecs = {
  /**
   * Imports an uploaded CSV or JSONL file of comment threads; answers the corpus and a report of
   * rows imported and rejected (with lines and reasons). A file with no usable row, a missing
   * column or an existing corpus is `invalid-input` (the report, when rows were read, in `details.report`).
   */
  'corpus.import': {
    input: CorpusImportInputSchema,
    output: z.object({ corpus: CorpusSummarySchema, report: CorpusImportReportSchema, discussions: Count })
  },
  /** The workspace's corpora (metadata only). */
  'corpus.list': {
    input: NoInputSchema,
    output: z.object({ items: z.array(CorpusSummarySchema), problems: z.array(z.object({ file: z.string(), message: z.string() })) })
  },
  /** A page of a corpus's conversations, or of one conversation's comments with the reply-to structure. */
  'corpus.browse': { input: CorpusBrowseInputSchema, output: CorpusPageSchema }
} as const
