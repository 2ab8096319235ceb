import { z } from 'zod'
import { CorpusSeedProvenanceSchema } from '../corpus/corpusSeed.js'
import { IdSchema } from '../schema/ids.js'
import { SeedCommentSchema } from '../schema/topic.js'
import { PromptModeSchema } from '../discussion/prompts/promptMode.js'
import { TurnPolicySchema } from '../discussion/turns/turnPolicy.js'
import { DiscussionSettingsSchema, ModelLevelSchema } from './experimentDesign.js'

/** One discussion of an expanded design: every choice made, nothing left to chance but the model. */
export const DiscussionSpecSchema = DiscussionSettingsSchema.extend({
  /** `<design id>-<index, 4+ digits>`: stable as long as the design is unchanged. */
  id: IdSchema,
  design_id: IdSchema,
  /** Position in the expansion, from 0; replicates are outermost, so a partial run covers every cell. */
  index: z.number().int().nonnegative(),
  /** The factor combination (from 0) and which repetition of it this is (from 0). */
  cell: z.number().int().nonnegative(),
  replicate: z.number().int().nonnegative(),
  /** This discussion's own seed, derived from the design seed and the index. */
  seed: z.number().int().nonnegative(),
  topic_id: IdSchema,
  user_instruction_id: IdSchema,
  moderator_instruction_id: IdSchema.nullable(),
  turn_policy: TurnPolicySchema,
  model: ModelLevelSchema,
  prompt_mode: PromptModeSchema,
  /** Sampled without replacement, in speaking order for round robin. */
  persona_ids: z.array(IdSchema).min(1),
  /** Set when the design samples seeds from a corpus: these open the discussion instead of the topic's. */
  seed_comments: z.array(SeedCommentSchema).optional(),
  seed_provenance: CorpusSeedProvenanceSchema.optional()
})
export type DiscussionSpec = z.infer<typeof DiscussionSpecSchema>
