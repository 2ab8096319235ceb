import { z } from 'zod'

const common = {
  /**
   * SDF logged a blank moderator reply and let it take a slot of the history window (as an empty
   * line), pushing a real comment out (spec §2.2, §6 item 3). `false` reproduces that; `true` keeps
   * silent moderator turns out of the window.
   */
  silent_does_not_take_history_slot: z.boolean().default(false)
}

/**
 * When the moderator speaks. The engine asks after every user comment that was not silent, as SDF
 * did; the policy answers speak, stay silent, or "ask the model" (see `decideModeratorTurn`).
 */
export const ModeratorPolicySchema = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('after-every-comment'), ...common })
    .describe('After every user comment (SDF v0: the moderator always answers).'),
  z
    .object({ kind: z.literal('when-addressed'), ...common })
    .describe('Only when the user comment addresses the moderator by @moderator or by its name.'),
  z
    .object({ kind: z.literal('probability'), q: z.number().min(0).max(1), ...common })
    .describe('After a user comment with probability q.'),
  z
    .object({ kind: z.literal('llm-decided'), ...common })
    .describe('The moderator model is asked yes or no after each user comment.')
])
export type ModeratorPolicy = z.infer<typeof ModeratorPolicySchema>

/** SDF v0's behaviour, blank replies and all. */
export const SDF_V0_MODERATOR_POLICY: ModeratorPolicy = {
  kind: 'after-every-comment',
  silent_does_not_take_history_slot: false
}
