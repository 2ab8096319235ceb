import { z } from 'zod'
import { IsoTimestampSchema } from './ids.js'

/** Every historical file layout SDF Studio can read (spec §1), plus its own. */
export const SourceFormatSchema = z.enum([
  'sdf-v-1-persona',
  'sdf-v0-persona',
  'sdf-v0.2-persona-array',
  'syndisco-2.0-persona',
  'syndisco-2.1-persona',
  'sdf-topic-text',
  'sdf-instruction-text',
  'sdf-llm-conv-data',
  'sdf-other-configs',
  'sdf-annotation-config',
  'sdf-v0.2-run-config',
  'sdf-v0-conversation',
  'sdf-v0.1-conversation',
  'syndisco-2.0-conversation',
  'syndisco-2.1-logs',
  'sdf-v0-annotation',
  'sdf-v0.2-annotation',
  'syndisco-2.1-annotation-logs',
  'sdf-studio',
  /** Human labels from a CSV, one row per annotator × comment (`sdf import-labels`). */
  'human-labels-csv'
])
export type SourceFormat = z.infer<typeof SourceFormatSchema>

/** Where a record came from, so an imported dataset can always be audited back to its files. */
export const SourceRefSchema = z.object({
  file: z.string(),
  format: SourceFormatSchema,
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  imported_at: IsoTimestampSchema.optional()
})
export type SourceRef = z.infer<typeof SourceRefSchema>
