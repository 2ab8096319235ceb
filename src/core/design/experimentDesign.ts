import { z } from 'zod'
import { ModeratorPolicySchema, SDF_V0_MODERATOR_POLICY } from '../discussion/moderation/moderatorPolicy.js'
import { PromptModeSchema } from '../discussion/prompts/promptMode.js'
import { SDF_DEFAULT_MODERATOR_ATTRIBUTES, SDF_DEFAULT_MODERATOR_NAME } from '../discussion/prompts/sdfStrings.js'
import { TurnPolicySchema } from '../discussion/turns/turnPolicy.js'
import { CorpusSeedSourceSchema } from '../corpus/corpusSeedSource.js'
import { SamplingSchema } from '../llm/backend.js'
import { IdSchema } from '../schema/ids.js'

/** Design ids get `-0001`-style suffixes for their discussions, which must stay valid ids too. */
export const DESIGN_ID_MAX_LENGTH = 100

/** One level of the model factor: which model, with which sampling settings. */
export const ModelLevelSchema = z.object({
  /** A model as the workspace names it: a GGUF file name or path, or a server's model id. */
  model: z.string().min(1),
  sampling: SamplingSchema.default({})
})
export type ModelLevel = z.infer<typeof ModelLevelSchema>

/**
 * `cross`: every combination of factor levels (a full factorial), each `replicates` times.
 * `sample`: `count` combinations, each factor's level drawn uniformly and independently from the
 * design seed (SDF's own way: `random.choice(topics)` per discussion), each `replicates` times.
 */
export const DesignModeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cross') }),
  z.object({ kind: z.literal('sample'), count: z.number().int().positive() })
])
export type DesignMode = z.infer<typeof DesignModeSchema>

export const DesignFactorsSchema = z.object({
  /** Personas are sampled per discussion, without replacement, from the pool; never crossed. */
  personas: z.object({
    pool: z.array(IdSchema).min(1, 'needs at least one persona'),
    users_per_discussion: z.number().int().positive()
  }),
  topics: z.array(IdSchema).min(1, 'needs at least one topic'),
  user_instructions: z.array(IdSchema).min(1, 'needs at least one user instruction'),
  /** `null` is the "no moderator" level. */
  moderator_instructions: z.array(IdSchema.nullable()).min(1).default([null]),
  turn_policies: z.array(TurnPolicySchema).min(1, 'needs at least one turn policy'),
  models: z.array(ModelLevelSchema).min(1, 'needs at least one model'),
  prompt_modes: z.array(PromptModeSchema).min(1).default([{ kind: 'modern', history: 'transcript' }]),
  /** Opening comments sampled from a corpus of real threads, instead of the topics' own seed comments. */
  seed_source: CorpusSeedSourceSchema.optional()
})
export type DesignFactors = z.infer<typeof DesignFactorsSchema>

/** Settings every discussion of the design shares. */
export const DiscussionSettingsSchema = z.object({
  /** User turn attempts, as SDF counted them; moderator replies come on top. */
  conv_len: z.number().int().positive(),
  history_ctx_len: z.number().int().nonnegative(),
  max_tokens: z.number().int().positive(),
  moderator_policy: ModeratorPolicySchema.default(SDF_V0_MODERATOR_POLICY),
  moderator_name: z.string().min(1).default(SDF_DEFAULT_MODERATOR_NAME),
  moderator_attributes: z.array(z.string()).default([...SDF_DEFAULT_MODERATOR_ATTRIBUTES])
})
export type DiscussionSettings = z.infer<typeof DiscussionSettingsSchema>

/** A design file in the workspace (`designs/<id>.json`). */
export const ExperimentDesignSchema = z
  .object({
    id: IdSchema.refine((id) => id.length <= DESIGN_ID_MAX_LENGTH, `must be at most ${DESIGN_ID_MAX_LENGTH} characters`),
    name: z.string(),
    description: z.string().default(''),
    /** Recorded so the expansion (levels, personas, per-discussion seeds) can always be repeated. */
    seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    mode: DesignModeSchema.default({ kind: 'cross' }),
    replicates: z.number().int().positive().default(1),
    factors: DesignFactorsSchema,
    discussion: DiscussionSettingsSchema
  })
  .superRefine((design, ctx) => {
    const { pool, users_per_discussion: users } = design.factors.personas
    const seen = new Set<string>()
    pool.forEach((id, position) => {
      if (seen.has(id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['factors', 'personas', 'pool', position],
          message: `persona "${id}" is in the pool twice; each persona can take part in a discussion only once`
        })
      }
      seen.add(id)
    })
    if (users > seen.size) {
      ctx.addIssue({
        code: 'custom',
        path: ['factors', 'personas', 'users_per_discussion'],
        message:
          `is ${users} but the persona pool holds only ${seen.size} persona${seen.size === 1 ? '' : 's'}; ` +
          'personas are drawn without replacement within a discussion, so add personas or lower users_per_discussion'
      })
    }
  })
export type ExperimentDesign = z.infer<typeof ExperimentDesignSchema>
export type ExperimentDesignInput = z.input<typeof ExperimentDesignSchema>
