import { z } from 'zod'
import { IdSchema } from '../schema/ids.js'

/**
 * A design's option to open every discussion with real comments sampled from a corpus (as SDF's
 * 2026 experiments did with Conversations Gone Awry) instead of the topic's own seed comments.
 */
export const CorpusSeedSourceSchema = z.object({
  corpus_id: IdSchema,
  /** Consecutive comments per seed. */
  k: z.number().int().positive().default(2),
  /** Only windows ending at a flagged comment that does not open its conversation. */
  only_flagged: z.boolean().default(false),
  /** Characters kept of each comment (SDF kept 500); null keeps whole texts. */
  truncate_to: z.number().int().positive().nullable().default(500),
  /** Allow a window to be used again once every eligible one has been used. */
  reuse: z.boolean().default(false),
  /**
   * `each-discussion`: every discussion gets its own window. `each-replicate`: all the cells of a
   * replicate share one, so conditions are compared on the same human thread.
   */
  assign: z.enum(['each-discussion', 'each-replicate']).default('each-discussion')
})
export type CorpusSeedSource = z.infer<typeof CorpusSeedSourceSchema>
