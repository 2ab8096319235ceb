import { z } from 'zod'
import { RecordIdSchema } from './records.js'
import { RunCountsSchema } from './studioContract.js'

// Run control beyond start/pause/resume/cancel: continuing a run after a crash, forking a finished
// discussion (counterfactual replay), and the state of a run for a page opened mid-run. Spread
// into `appContract`; written by `createRunsMethods` for both hosts.

const Count = z.number().int().nonnegative()
const JsonObject = z.looseObject({})
const Concurrency = z.number().int().min(1).max(64)

const StartedRunSchema = z.object({ runId: RecordIdSchema, discussionIds: z.array(RecordIdSchema) })

export const RunDiscussionLiveSchema = z.object({
  id: RecordIdSchema,
  /** queued, running, paused, finished, failed, cancelled; `interrupted` for an inactive run's unfinished ones. */
  state: z.enum(['queued', 'running', 'paused', 'finished', 'failed', 'cancelled', 'interrupted']),
  /** LLM calls completed (journaled). */
  steps: Count,
  comments: Count,
  /** The step being generated now (running discussions of an active run), else null. */
  currentStep: Count.nullable(),
  speaker: z.string().nullable(),
  /** Text pieces streamed so far for the step in progress. */
  streamedPieces: Count,
  /** Decode speed of its last generated comment, or null when not known. */
  tokensPerSecond: z.number().nonnegative().nullable(),
  reason: z.string().nullable()
})

export type RunDiscussionLive = z.infer<typeof RunDiscussionLiveSchema>

export const RunStatusSchema = z.object({
  runId: RecordIdSchema,
  /** True while this host is generating it; false: read from its journal. */
  active: z.boolean(),
  counts: RunCountsSchema,
  discussions: z.array(RunDiscussionLiveSchema),
  /** Sum of the running discussions' speeds. */
  tokensPerSecond: z.number().nonnegative(),
  /** Subscribe to `run.events` with this cursor to get every event after this answer; null when the host keeps no log. */
  events: z.object({ epoch: z.string(), next: Count }).nullable(),
  problems: z.array(z.string())
})

export type RunStatus = z.infer<typeof RunStatusSchema>

export const runsMethodSpecs = {
  /**
   * Continues a run from its journal after a crash, a kill or a cancelled session: finished
   * discussions are skipped, unfinished ones replay their journaled steps and go on.
   */
  'runs.resumeInterrupted': {
    input: z.strictObject({
      runId: RecordIdSchema,
      concurrency: Concurrency.default(1),
      /** Also continue discussions that were cancelled. */
      includeCancelled: z.boolean().default(false)
    }),
    output: StartedRunSchema
  },
  /**
   * A new run holding one discussion: comments 0..atComment-1 of a finished discussion kept
   * verbatim, then continued with `overrides` (core's fork changes: seed, sampling, turn_policy,
   * moderator, moderator_policy, user_instructions, prompt_mode, conv_len…).
   */
  'runs.fork': {
    input: z.strictObject({
      discussionId: RecordIdSchema,
      atComment: Count,
      overrides: JsonObject.default({})
    }),
    output: StartedRunSchema
  },
  /** Per discussion: state, step, speed; plus where `run.events` continues from. */
  'runs.status': { input: z.strictObject({ runId: RecordIdSchema }), output: RunStatusSchema }
} as const
