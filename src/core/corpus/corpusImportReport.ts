import { z } from 'zod'

/** A row that was not imported, by the line of the file it starts on. */
export const RejectedRowSchema = z.object({ line: z.number().int().positive(), reason: z.string() })
export type RejectedRow = z.infer<typeof RejectedRowSchema>

/** Something imported with a caveat (bytes replaced, a flag read as false, a dangling reply_to). */
export const CorpusWarningSchema = z.object({ line: z.number().int().positive().nullable(), message: z.string() })
export type CorpusWarning = z.infer<typeof CorpusWarningSchema>

/**
 * What an import did, kept in the corpus's metadata so the provenance of seeds can always be traced
 * back to how the file was read.
 */
export const CorpusImportReportSchema = z.object({
  file: z.string(),
  format: z.enum(['csv', 'jsonl']),
  /** Records after the CSV header, or non-blank JSONL lines; blank lines are passed over uncounted. */
  rows_read: z.number().int().nonnegative(),
  /** Rows with every field empty: passed over, not errors. */
  empty_rows: z.number().int().nonnegative(),
  conversations: z.number().int().nonnegative(),
  comments: z.number().int().nonnegative(),
  /** Comments marked by the flag column; null when the corpus has none. */
  flagged: z.number().int().nonnegative().nullable(),
  /** Every rejected row, though `rejected` lists only the first ones (a whole bad file must not bloat the report). */
  rejected_count: z.number().int().nonnegative(),
  rejected: z.array(RejectedRowSchema),
  warning_count: z.number().int().nonnegative(),
  warnings: z.array(CorpusWarningSchema),
  /** The column names the file had (CSV header; JSONL: every key seen), for error messages and audits. */
  columns_found: z.array(z.string())
})
export type CorpusImportReport = z.infer<typeof CorpusImportReportSchema>

/** How many rejected rows and warnings a report lists one by one. */
export const REPORT_LIST_LIMIT = 200
