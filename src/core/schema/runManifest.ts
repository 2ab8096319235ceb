import { z } from 'zod'
import { IdSchema, IsoTimestampSchema } from './ids.js'

export const ModelProvenanceSchema = z.object({
  path: z.string(),
  name: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  size_bytes: z.number().int().nonnegative().nullable()
})

/** Everything needed to audit or repeat a run (spec §6 item 16). */
export const RunManifestSchema = z.object({
  run_id: IdSchema,
  created_at: IsoTimestampSchema,
  app_version: z.string(),
  node_llama_cpp_version: z.string().nullable(),
  llama_cpp_version: z.string().nullable(),
  model: ModelProvenanceSchema.nullable(),
  gpu: z.string().nullable(),
  design_id: IdSchema.nullable().default(null),
  seed: z.number().int(),
  parameters: z.record(z.string(), z.unknown()),
  discussion_ids: z.array(IdSchema)
})
export type RunManifest = z.infer<typeof RunManifestSchema>
