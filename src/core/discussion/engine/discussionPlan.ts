import { z } from 'zod'
import { SamplingSchema } from '../../llm/backend.js'
import { CommentSchema, PersonaOriginSchema } from '../../schema/discussion.js'
import { IdSchema } from '../../schema/ids.js'
import { PersonaSnapshotSchema } from '../../schema/persona.js'
import { SeedCommentSchema } from '../../schema/topic.js'
import { CleaningStepSchema } from '../cleanOutput.js'
import { ModeratorPolicySchema } from '../moderation/moderatorPolicy.js'
import { PromptModeSchema } from '../prompts/promptMode.js'
import { TurnPolicySchema } from '../turns/turnPolicy.js'
import { StepSummarySchema } from './stepSummary.js'

/**
 * llama-cpp-python's chat-completion defaults, which SDF v0 never overrode (spec §2.5; the exact
 * values depend on the installed version, these are the handler signature's).
 */
export const SDF_V0_SAMPLING = {
  temperature: 0.2,
  topP: 0.95,
  topK: 40,
  minP: 0.05,
  repeatPenalty: 1.1
} as const

export const PlannedUserSchema = z
  .object({
    username: z.string().min(1),
    /**
     * SDF's rendered attribute strings. The SDF prompt modes use them verbatim when present, so an
     * imported LLMConvData gives byte-identical prompts; null renders them from `persona`.
     */
    attributes: z.array(z.string()).nullable().default(null),
    persona: PersonaSnapshotSchema,
    persona_origin: PersonaOriginSchema.default('structured'),
    persona_id: IdSchema.nullable().default(null)
  })
  .describe('A user agent of the discussion.')

export const PlannedModeratorSchema = z
  .object({
    name: z.string().min(1),
    attributes: z.array(z.string()),
    instructions: z.string(),
    instruction_id: IdSchema.nullable().default(null)
  })
  .describe('The moderator agent; it only speaks after user comments, as its policy says.')

/**
 * What a plan inherits from an earlier discussion (a fork): its first comments, verbatim, and the
 * turn-taking state they leave behind, so the continuation counts the turns already taken.
 */
export const PlanPrefixSchema = z
  .object({
    comments: z.array(CommentSchema),
    /** The step log of the inherited part (empty when the source discussion had none). */
    steps: z.array(StepSummarySchema).default([]),
    /** User turn attempts already made, silent ones included. */
    turns_taken: z.number().int().nonnegative(),
    /** LLM calls already made; the continuation's call seeds carry on from here. */
    steps_taken: z.number().int().nonnegative(),
    /** The speakers the turn policy picked so far, oldest first (its `TurnState.previous`). */
    previous_speakers: z.array(z.string()),
    /** The last inherited comment is a user comment the moderator has not answered yet. */
    pending_moderator_reply: z.boolean().default(false)
  })
  .describe('The inherited beginning of a forked discussion.')

export const PlanOriginSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('spec'), design_id: IdSchema, index: z.number().int().nonnegative() }),
  z.object({ kind: z.literal('sdf-config'), config_id: IdSchema.nullable(), file: z.string().nullable() }),
  z.object({ kind: z.literal('fork'), discussion_id: IdSchema, at_comment: z.number().int().nonnegative() })
])

/**
 * Everything the engine needs to generate one discussion, with every choice already made: the
 * engine draws nothing but turn order and moderator coin flips, and those only from `seed`.
 */
export const DiscussionPlanSchema = z
  .object({
    id: IdSchema,
    /** Root of every random stream of the discussion: turns, moderation, per-call seeds. */
    seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    origin: PlanOriginSchema,
    /** SDF's context (in SDF v0 it holds the topic). */
    context: z.string(),
    /** The opening post for the modern and custom modes; null when the context already holds it. */
    topic: z.string().nullable().default(null),
    topic_id: IdSchema.nullable().default(null),
    config_id: IdSchema.nullable().default(null),
    /** The experimental condition (design factor → level), copied to the discussion for analyses. */
    conditions: z.record(z.string(), z.string()).default({}),
    users: z.array(PlannedUserSchema).min(1, 'a discussion needs at least one user'),
    user_instructions: z.string(),
    user_instruction_id: IdSchema.nullable().default(null),
    moderator: PlannedModeratorSchema.nullable().default(null),
    /** Comments written before any agent speaks; ignored when `prefix` is set (it holds them). */
    seed_comments: z.array(SeedCommentSchema).default([]),
    prefix: PlanPrefixSchema.nullable().default(null),
    /** User turn attempts, counted as SDF did: silent ones count, moderator replies come on top. */
    conv_len: z.number().int().nonnegative(),
    history_ctx_len: z.number().int().nonnegative(),
    turn_policy: TurnPolicySchema,
    moderator_policy: ModeratorPolicySchema,
    prompt_mode: PromptModeSchema,
    cleaning: z.array(CleaningStepSchema),
    /** The model the plan asks for (a design's model level); comments record the backend's name. */
    model: z.string().min(1),
    /** Sampling for every call; the seed is set per call (see `call_seeds`). */
    sampling: SamplingSchema.omit({ seed: true }).default({}),
    max_tokens: z.number().int().positive(),
    /**
     * `per-step`: each call's seed is drawn from `seed` and the step number, so calls differ and a
     * resumed run repeats them exactly. `fixed`: every call gets `seed` itself, as SDF v0 passed
     * `--random_seed` to every call (identical prompts then give identical replies).
     */
    call_seeds: z.enum(['per-step', 'fixed']).default('per-step')
  })
  .superRefine((plan, ctx) => {
    const names = new Set<string>()
    plan.users.forEach((user, position) => {
      if (names.has(user.username)) {
        ctx.addIssue({ code: 'custom', path: ['users', position, 'username'], message: `duplicate username "${user.username}"` })
      }
      names.add(user.username)
    })
    if (plan.moderator && names.has(plan.moderator.name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['moderator', 'name'],
        message: `the moderator's name "${plan.moderator.name}" is also a user's; names must be unique`
      })
    }
    if (plan.prefix && plan.prefix.turns_taken > plan.conv_len) {
      ctx.addIssue({
        code: 'custom',
        path: ['prefix', 'turns_taken'],
        message: `${plan.prefix.turns_taken} turns were already taken but conv_len is ${plan.conv_len}`
      })
    }
  })
  .describe('One discussion, fully resolved and ready to run.')
export type DiscussionPlan = z.infer<typeof DiscussionPlanSchema>
export type DiscussionPlanInput = z.input<typeof DiscussionPlanSchema>
