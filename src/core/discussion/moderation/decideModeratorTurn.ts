import type { SeededRandom } from '../../random/index.js'
import { isModeratorAddressed } from './isModeratorAddressed.js'
import type { ModeratorPolicy } from './moderatorPolicy.js'

/** `ask-model`: the engine asks the moderator's model (`moderatorDecisionPrompt`) and parses the answer. */
export type ModeratorDecision = 'speak' | 'stay-silent' | 'ask-model'

export interface ModeratorTurnContext {
  /** The user comment just made (never a silent one: the engine does not ask after those). */
  comment: { author: string; text: string }
  moderatorName: string
}

/**
 * Whether the moderator answers the comment just made. Only `probability` draws, exactly once per
 * call; pass a stream forked for moderation so these draws never shift the turn-taking ones.
 */
export function decideModeratorTurn(
  policy: ModeratorPolicy,
  context: ModeratorTurnContext,
  random: SeededRandom
): ModeratorDecision {
  switch (policy.kind) {
    case 'after-every-comment':
      return 'speak'
    case 'when-addressed':
      return isModeratorAddressed(context.comment.text, context.moderatorName) ? 'speak' : 'stay-silent'
    case 'probability':
      return random.chance(policy.q) ? 'speak' : 'stay-silent'
    case 'llm-decided':
      return 'ask-model'
  }
}
