import { z } from 'zod'

/**
 * How the next user speaker is chosen (spec §2.3). Each policy draws only from the seeded stream it
 * is given, so a seed always gives the same speaking order.
 */
export const RoundRobinPolicySchema = z
  .object({
    kind: z.literal('round-robin'),
    /** SynDisco 2.2's QueueTurnManager option: start with a random participant instead of the first. */
    random_first_speaker: z.boolean().default(false)
  })
  .describe('Round robin: participants speak in order, then the cycle repeats.')

export const RandomPolicySchema = z
  .object({ kind: z.literal('random') })
  .describe('Random: a uniformly random participant, never the one who spoke last.')

export const RespondPolicySchema = z
  .object({
    kind: z.literal('respond'),
    /** Chance that the participant the last speaker replied to answers back (SynDisco `p_respond`). */
    p_respond: z.number().min(0).max(1)
  })
  .describe(
    'Respond: with probability p_respond the participant who spoke before the last speaker (the one ' +
      'just replied to) answers back; otherwise a random participant other than the last speaker.'
  )

export const SdfV0RandomWeightedPolicySchema = z
  .object({
    kind: z.literal('sdf-v0-random-weighted'),
    /**
     * Kept only so SDF configs round-trip. It has NO effect: SDF v0's RandomWeighted never reached its
     * coin flip, and its factory was never given the config (spec §2.3).
     */
    respond_probability: z.number().nullable().default(null)
  })
  .describe(
    "SDF v0 'random_weighted', as SDF actually ran it: a uniformly random participant other than the " +
      'one who spoke last. respond_probability has no effect (a bug in SDF v0 kept for replication); ' +
      "use 'respond' for the behaviour the name promises."
  )

export const LlmChosenPolicySchema = z
  .object({
    kind: z.literal('llm-chosen'),
    /** Whether the model may pick the participant who spoke last. */
    allow_repeat: z.boolean().default(false)
  })
  .describe(
    'LLM-chosen: the model picks the next speaker from the allowed names (constrained by a grammar); ' +
      'an unusable answer falls back to a random allowed participant.'
  )

export const TurnPolicySchema = z.discriminatedUnion('kind', [
  RoundRobinPolicySchema,
  RandomPolicySchema,
  RespondPolicySchema,
  SdfV0RandomWeightedPolicySchema,
  LlmChosenPolicySchema
])
export type TurnPolicy = z.infer<typeof TurnPolicySchema>
export type TurnPolicyKind = TurnPolicy['kind']

/** The sentence shown to users for a policy kind (the schemas' descriptions). */
export function describeTurnPolicy(kind: TurnPolicyKind): string {
  const option = TurnPolicySchema.options.find((schema) => schema.shape.kind.value === kind)
  return option?.description ?? kind
}
