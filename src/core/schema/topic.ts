import { z } from 'zod'
import { IdSchema } from './ids.js'
import { SourceRefSchema } from './source.js'

/** A comment that opens a discussion before any agent speaks (SDF's "seed opinion"). */
export const SeedCommentSchema = z.object({
  /** A participant's username, an outside author's name, or null when unknown. */
  author: z.string().nullable(),
  text: z.string()
})
export type SeedComment = z.infer<typeof SeedCommentSchema>

export const TopicSchema = z.object({
  id: IdSchema,
  title: z.string(),
  /** Used verbatim: SDF never stripped topic files, and replication depends on that (spec §1.2). */
  text: z.string(),
  seed_comments: z.array(SeedCommentSchema).default([]),
  example: z.boolean().optional(),
  source: SourceRefSchema.optional()
})
export type Topic = z.infer<typeof TopicSchema>
