import { z } from 'zod'
import { IdSchema } from './ids.js'
import { PersonaSnapshotSchema } from './persona.js'
import { SourceRefSchema } from './source.js'
import { SeedCommentSchema } from './topic.js'

export const ConfiguredParticipantSchema = z.object({
  username: z.string().min(1),
  /** SDF's rendered attribute strings, kept so SDF-v0 prompts can be rebuilt byte for byte. */
  attributes: z.array(z.string()),
  persona: PersonaSnapshotSchema
})

export const ConfiguredModeratorSchema = z.object({
  name: z.string().min(1),
  attributes: z.array(z.string()),
  instructions: z.string()
})

/**
 * Everything needed to generate one discussion: SDF's `LLMConvData` (spec §1.5) in structured form.
 * Turn-taking stays a free string here because SDF files name policies SDF Studio maps later.
 */
export const DiscussionConfigSchema = z.object({
  id: IdSchema,
  context: z.string(),
  participants: z.array(ConfiguredParticipantSchema).min(1, 'needs at least one participant'),
  user_instructions: z.string(),
  turn_manager_type: z.string(),
  turn_manager_config: z.record(z.string(), z.number()).default({}),
  conv_len: z.number().int().nonnegative().default(4),
  history_ctx_len: z.number().int().nonnegative().default(4),
  moderator: ConfiguredModeratorSchema.nullable().default(null),
  seed_comments: z.array(SeedCommentSchema).default([]),
  source: SourceRefSchema.optional()
})
export type DiscussionConfig = z.infer<typeof DiscussionConfigSchema>
