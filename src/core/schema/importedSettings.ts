import { z } from 'zod'
import { IdSchema } from './ids.js'
import { SourceFormatSchema, SourceRefSchema } from './source.js'

/**
 * A configuration file from the original tool (turn-taking configs, annotation configs, YAML run
 * configs), kept verbatim for provenance and for rebuilding designs from it.
 */
export const ImportedSettingsSchema = z.object({
  id: IdSchema,
  name: z.string(),
  format: SourceFormatSchema,
  settings: z.record(z.string(), z.unknown()),
  source: SourceRefSchema.optional()
})
export type ImportedSettings = z.infer<typeof ImportedSettingsSchema>
