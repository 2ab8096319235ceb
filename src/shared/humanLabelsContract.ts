import { z } from 'zod'
import { RecordIdSchema } from './records.js'

// The contract's import of human labels: a CSV the user handed over (one row per annotator ×
// comment) becomes human annotations beside the LLM ones, through core's `importHumanLabels`.

const Count = z.number().int().nonnegative()

export const HumanCsvImportInputSchema = z.strictObject({
  /** The uploaded file's name, for messages and the annotations' provenance (no path is used). */
  fileName: z.string().min(1).max(1024),
  /** The file's text; bytes a browser could not decode arrive as U+FFFD and their rows are rejected. */
  content: z.string().max(256 * 1024 * 1024),
  /** Check every value against this annotator spec's labels and record it as the annotations' spec. */
  annotatorSpecId: RecordIdSchema.optional()
})

export const HumanCsvImportReportSchema = z.object({
  file: z.string(),
  annotatorSpecId: z.string().nullable(),
  /** Non-blank records after the header. */
  rowsRead: Count,
  /** Annotations added. */
  imported: Count,
  /** Rows whose identical annotation was already stored (the same file imported again). */
  alreadyPresent: Count,
  rejectedCount: Count,
  /** The first rejected rows (up to 1,000); `row` is the file line the record starts on, the header being 1. */
  rejected: z.array(z.object({ row: z.number().int().positive(), reason: z.string() })),
  labels: z.array(z.string()),
  annotators: z.array(z.string()),
  discussions: Count
})

export type HumanCsvImportReport = z.infer<typeof HumanCsvImportReportSchema>

export const humanLabelsMethodSpecs = {
  /** Imports human labels from CSV text; bad rows are listed and skipped, the rest imported. */
  'annotations.importHumanCsv': { input: HumanCsvImportInputSchema, output: HumanCsvImportReportSchema }
} as const
