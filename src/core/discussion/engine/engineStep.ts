import { z } from 'zod'
import { GenerationStatsSchema } from '../../llm/backend.js'
import { StepPhaseSchema } from './stepSummary.js'

/**
 * The outcome of one LLM call, as journaled by the runner. Replaying a discussion feeds these back
 * instead of calling the model; the engine re-derives everything else (speaker, seed, prompt) and
 * refuses a step whose phase, speaker, seed or prompt hash differs from what it derived, as that
 * journal belongs to another plan.
 */
export const EngineStepSchema = z
  .object({
    step: z.number().int().nonnegative(),
    turn: z.number().int().nonnegative(),
    phase: StepPhaseSchema,
    speaker: z.string(),
    seed: z.number().int(),
    /** SHA-256 (hex) of the exact prompt text, to check that a replayed step matches its plan. */
    prompt_sha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** The backend's model name. */
    model: z.string(),
    /** The model's reply, untouched. */
    raw_text: z.string(),
    stats: GenerationStatsSchema,
    started_at: z.string(),
    finished_at: z.string()
  })
  .describe('One completed LLM call of a discussion.')
export type EngineStep = z.infer<typeof EngineStepSchema>
