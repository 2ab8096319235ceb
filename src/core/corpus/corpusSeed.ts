import { z } from 'zod'
import { IdSchema } from '../schema/ids.js'
import { SeedCommentSchema } from '../schema/topic.js'

/** Where a discussion's opening comments came from, to be recorded with the discussion. */
export const CorpusSeedProvenanceSchema = z.object({
  corpus_id: IdSchema,
  corpus_name: z.string(),
  conversation_id: z.string(),
  /** The seed comments' message ids, oldest first. */
  message_ids: z.array(z.string()).min(1),
  only_flagged: z.boolean(),
  /** The length (in characters) every text was cut to; null when texts were kept whole. */
  truncated_to: z.number().int().positive().nullable()
})
export type CorpusSeedProvenance = z.infer<typeof CorpusSeedProvenanceSchema>

export const CorpusSeedSchema = z.object({
  comments: z.array(SeedCommentSchema).min(1),
  provenance: CorpusSeedProvenanceSchema
})
export type CorpusSeed = z.infer<typeof CorpusSeedSchema>
