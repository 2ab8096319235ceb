import { z } from 'zod'
import type { Discussion } from '../../schema/discussion.js'
import { DiscussionPlanSchema, type DiscussionPlan } from './discussionPlan.js'
import { StepSummarySchema } from './stepSummary.js'

/** The key under a generated discussion's `extra` that holds how it was generated. */
export const GENERATION_EXTRA_KEY = 'generation'

/**
 * How a discussion was generated: the plan (with every parameter and seed; an inherited prefix
 * keeps only its counts, its comments are the discussion's first ones) and one summary per LLM
 * call. It is what `forkDiscussion` continues from, and provenance for anyone reading the file.
 */
export const GenerationRecordSchema = z.object({
  engine_version: z.literal(1),
  plan: DiscussionPlanSchema,
  steps: z.array(StepSummarySchema)
})
export type GenerationRecord = z.infer<typeof GenerationRecordSchema>

export function generationRecord(plan: DiscussionPlan, steps: GenerationRecord['steps']): GenerationRecord {
  const stored: DiscussionPlan = plan.prefix ? { ...plan, prefix: { ...plan.prefix, comments: [] } } : plan
  return { engine_version: 1, plan: stored, steps }
}

/** The record of a discussion this engine generated; null for imported ones or unreadable records. */
export function generationRecordOf(discussion: Pick<Discussion, 'extra'>): GenerationRecord | null {
  const parsed = GenerationRecordSchema.safeParse(discussion.extra[GENERATION_EXTRA_KEY])
  return parsed.success ? parsed.data : null
}
