import type { ModeratorPolicy } from '../discussion/moderation/moderatorPolicy.js'
import { countDesign } from './countDesign.js'
import type { ExperimentDesign } from './experimentDesign.js'

export interface EstimateRates {
  /** Generation speed of the model, tokens per second. */
  tokensPerSecond: number
  /** Prompt processing speed, tokens per second. */
  promptTokensPerSecond: number
  /** System prompt plus instructions per call; 300 unless measured. */
  systemPromptTokens?: number
  /** Average comment length; `max_tokens` (an upper bound) unless measured. */
  commentTokens?: number
}

export interface DesignEstimate {
  discussions: number
  /** Model calls, moderator replies and yes/no questions included. */
  calls: number
  promptTokens: number
  generatedTokens: number
  totalTokens: number
  /** Serial time without prompt caching: an upper bound for one sequence at these rates. */
  seconds: number
}

/** Σ_{k<calls} min(window, k): how many history comments the calls of one discussion see in total. */
function visibleComments(calls: number, window: number): number {
  let total = 0
  for (let k = 0; k < calls; k += 1) total += Math.min(window, k)
  return total
}

/** Moderator replies per user comment (worst case where the policy cannot know in advance). */
function moderatorRate(policy: ModeratorPolicy): number {
  return policy.kind === 'probability' ? policy.q : 1
}

/**
 * What a design will cost before it runs: every user turn attempt is assumed to speak and to use
 * `commentTokens`, every turn re-reads the system prompt and its history window (no prefix reuse),
 * moderated discussions add the moderator's replies (and, for `llm-decided`, one short yes/no call
 * per user comment). Seed comments are not counted. Estimates, not promises: measured rates make
 * them close.
 */
export function estimateDesign(design: ExperimentDesign, rates: EstimateRates): DesignEstimate {
  if (!(rates.tokensPerSecond > 0) || !(rates.promptTokensPerSecond > 0)) {
    throw new RangeError('token rates must be positive numbers')
  }
  const { discussions } = countDesign(design)
  const settings = design.discussion
  const system = rates.systemPromptTokens ?? 300
  const comment = rates.commentTokens ?? settings.max_tokens
  const levels = design.factors.moderator_instructions
  const moderatedShare = levels.filter((level) => level !== null).length / levels.length

  const cost = (moderated: boolean) => {
    const userCalls = settings.conv_len
    const moderatorCalls = moderated ? userCalls * moderatorRate(settings.moderator_policy) : 0
    const speakingCalls = userCalls + moderatorCalls
    const questions = moderated && settings.moderator_policy.kind === 'llm-decided' ? userCalls : 0
    const window = settings.history_ctx_len
    const speakingPrompt = speakingCalls * system + visibleComments(Math.round(speakingCalls), window) * comment
    // A question sees about the same window as the reply it decides on; its answer is one token.
    const questionPrompt = questions * (system + Math.min(window, speakingCalls) * comment)
    return {
      calls: speakingCalls + questions,
      prompt: speakingPrompt + questionPrompt,
      generated: speakingCalls * comment + questions
    }
  }
  const withModerator = cost(true)
  const without = cost(false)
  const mix = (key: 'calls' | 'prompt' | 'generated'): number =>
    discussions * (moderatedShare * withModerator[key] + (1 - moderatedShare) * without[key])
  const promptTokens = Math.round(mix('prompt'))
  const generatedTokens = Math.round(mix('generated'))
  return {
    discussions,
    calls: Math.round(mix('calls')),
    promptTokens,
    generatedTokens,
    totalTokens: promptTokens + generatedTokens,
    seconds: Math.round(promptTokens / rates.promptTokensPerSecond + generatedTokens / rates.tokensPerSecond)
  }
}
