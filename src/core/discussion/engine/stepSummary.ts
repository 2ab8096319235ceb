import { z } from 'zod'

/**
 * What one LLM call was for. A user turn may take two calls (`speaker-choice` under the
 * `llm-chosen` policy, then `user`), the moderator's answer to it two more (`moderator-decision`
 * under `llm-decided`, then `moderator`).
 */
export const StepPhaseSchema = z.enum(['speaker-choice', 'user', 'moderator-decision', 'moderator'])
export type StepPhase = z.infer<typeof StepPhaseSchema>

/** One step as a finished discussion remembers it: enough to fork at any comment. */
export const StepSummarySchema = z.object({
  step: z.number().int().nonnegative(),
  /** The user turn (attempt) the step belongs to, from 0. */
  turn: z.number().int().nonnegative(),
  phase: StepPhaseSchema,
  speaker: z.string(),
  /** The comment the step wrote, or null (silent turn, decision, speaker choice). */
  comment_index: z.number().int().nonnegative().nullable()
})
export type StepSummary = z.infer<typeof StepSummarySchema>
