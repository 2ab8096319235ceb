import { z } from 'zod'
import { SamplingSchema } from '../../llm/backend.js'
import type { Comment, Discussion } from '../../schema/discussion.js'
import { IdSchema } from '../../schema/ids.js'
import { CleaningStepSchema, cleaningForPromptMode } from '../cleanOutput.js'
import { ModeratorPolicySchema } from '../moderation/moderatorPolicy.js'
import { PromptModeSchema } from '../prompts/promptMode.js'
import { TurnPolicySchema } from '../turns/turnPolicy.js'
import { DiscussionPlanSchema, PlannedModeratorSchema, type DiscussionPlan } from './discussionPlan.js'
import { generationRecordOf } from './generationRecord.js'
import { PlanError } from './planError.js'
import type { StepSummary } from './stepSummary.js'

/** What a counterfactual continuation changes; everything left out stays as it was. */
export const ForkChangesSchema = z
  .object({
    /** Default `<discussion id>-fork-<k>`. */
    id: IdSchema,
    seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    model: z.string().min(1),
    sampling: SamplingSchema.omit({ seed: true }),
    max_tokens: z.number().int().positive(),
    user_instructions: z.string(),
    /** New instructions for the existing moderator. */
    moderator_instructions: z.string(),
    /** A whole new moderator, or null for none from here on. */
    moderator: PlannedModeratorSchema.nullable(),
    turn_policy: TurnPolicySchema,
    moderator_policy: ModeratorPolicySchema,
    /** Changing the mode also switches to its cleaning unless `cleaning` is given. */
    prompt_mode: PromptModeSchema,
    cleaning: z.array(CleaningStepSchema),
    /** User turn attempts in total, the inherited ones included. */
    conv_len: z.number().int().nonnegative(),
    history_ctx_len: z.number().int().nonnegative(),
    call_seeds: z.enum(['per-step', 'fixed'])
  })
  .partial()
  .strict()
  .describe('Settings a forked discussion continues with.')
export type ForkChanges = z.input<typeof ForkChangesSchema>

export interface ForkOptions {
  /** The plan the discussion was generated from; default the one recorded in the discussion. */
  plan?: DiscussionPlan
}

interface Inherited {
  steps: StepSummary[]
  turns_taken: number
  steps_taken: number
  previous_speakers: string[]
  pending_moderator_reply: boolean
}

const MODERATOR_PHASES = new Set(['moderator-decision', 'moderator'])

/** The turn-taking state after comments 0..k-1, from the discussion's step log. */
function inheritFromSteps(steps: readonly StepSummary[], comments: readonly Comment[], k: number, fallbackSteps: number): Inherited {
  const maker = k < comments.length ? steps.find((step) => step.comment_index === k) : undefined
  let cut: number
  let turnsTaken: number
  let pending = false
  if (k >= comments.length) {
    cut = steps.length
    turnsTaken = steps.length === 0 ? 0 : Math.max(...steps.map((step) => step.turn)) + 1
  } else if (!maker) {
    // Comment k has no step: a seed or inherited comment, so nothing generated comes before it.
    cut = 0
    turnsTaken = 0
  } else if (maker.phase === 'moderator') {
    // The user comment it answered stays; its turn is taken, the moderator's answer is redone.
    cut = steps.findIndex((step) => step.turn > maker.turn || (step.turn === maker.turn && MODERATOR_PHASES.has(step.phase)))
    turnsTaken = maker.turn + 1
    pending = true
  } else {
    // A user comment: its turn is redone from the start (speaker choice included).
    cut = steps.findIndex((step) => step.turn >= maker.turn)
    turnsTaken = maker.turn
  }
  if (cut < 0) cut = steps.length
  const kept = steps.slice(0, cut)
  const next = steps[cut]
  const last = kept[kept.length - 1]
  return {
    steps: kept,
    turns_taken: turnsTaken,
    steps_taken: next ? next.step : last ? last.step + 1 : fallbackSteps,
    previous_speakers: kept.filter((step) => step.phase === 'user').map((step) => step.speaker),
    pending_moderator_reply: pending
  }
}

/** For discussions without a step log (imported): one turn per user comment, no silent turns known. */
function inheritFromComments(comments: readonly Comment[], k: number): Inherited {
  const kept = comments.slice(0, k)
  const users = kept.filter((comment) => comment.role === 'user')
  const last = kept[kept.length - 1]
  return {
    steps: [],
    turns_taken: users.length,
    steps_taken: 0,
    previous_speakers: users.map((comment) => comment.author),
    pending_moderator_reply: last?.role === 'user' && comments[k]?.role === 'moderator'
  }
}

/**
 * A counterfactual replay: a plan that keeps comments 0..k-1 of `discussion` verbatim (roles,
 * models and all) and continues from there with `changes` applied (another model, sampling,
 * instructions, turn policy…). Turns already taken count towards `conv_len`, silent ones included
 * when the discussion recorded its steps; forking at a moderator reply redoes just that reply.
 * Unchanged settings and the same model continue exactly as the original did.
 */
export function forkDiscussion(discussion: Discussion, k: number, changes: ForkChanges = {}, options: ForkOptions = {}): DiscussionPlan {
  if (!Number.isInteger(k) || k < 0 || k > discussion.comments.length) {
    throw new RangeError(`k must be a comment index from 0 to ${discussion.comments.length}, got ${k}`)
  }
  const record = generationRecordOf(discussion)
  const base = options.plan ?? record?.plan
  if (!base) {
    throw new PlanError([
      `discussion "${discussion.id}" has no generation record (it was imported, not generated here); pass the plan to continue from`
    ])
  }
  const change = ForkChangesSchema.parse(changes)
  const inherited = record
    ? inheritFromSteps(record.steps, discussion.comments, k, base.prefix?.steps_taken ?? 0)
    : inheritFromComments(discussion.comments, k)

  let moderator = change.moderator === undefined ? base.moderator : change.moderator
  if (change.moderator_instructions !== undefined) {
    if (!moderator) throw new PlanError(['moderator_instructions were given but the discussion has no moderator; pass a moderator'])
    moderator = { ...moderator, instructions: change.moderator_instructions }
  }
  const promptMode = change.prompt_mode ?? base.prompt_mode
  const cleaning = change.cleaning ?? (change.prompt_mode ? [...cleaningForPromptMode(change.prompt_mode)] : base.cleaning)
  const { id, moderator_instructions: _instructions, moderator: _moderator, ...settings } = change
  const parsed = DiscussionPlanSchema.safeParse({
    ...base,
    ...settings,
    id: id ?? `${discussion.id.slice(0, 100)}-fork-${k}`,
    origin: { kind: 'fork', discussion_id: discussion.id, at_comment: k },
    // The original's condition, plus what this counterfactual changed and where it branched off.
    conditions: {
      ...base.conditions,
      fork_of: discussion.id,
      fork_at: String(k),
      fork_changes: Object.keys(change).filter((key) => key !== 'id').sort().join(',') || 'none'
    },
    moderator,
    prompt_mode: promptMode,
    cleaning,
    seed_comments: [],
    prefix: { comments: structuredClone(discussion.comments.slice(0, k)), ...inherited }
  })
  if (!parsed.success) throw new PlanError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'plan'}: ${issue.message}`))
  return parsed.data
}
