import type { Sampling } from '../../llm/backend.js'
import type { DiscussionConfig } from '../../schema/discussionConfig.js'
import { SDF_V0_CLEANING } from '../cleanOutput.js'
import { SDF_V0_MODERATOR_POLICY } from '../moderation/moderatorPolicy.js'
import type { PromptMode } from '../prompts/promptMode.js'
import { turnPolicyFromSdfName } from '../turns/turnPolicyFromSdfName.js'
import { DiscussionPlanSchema, SDF_V0_SAMPLING, type DiscussionPlan } from './discussionPlan.js'

/** SDF's own defaults for `generate_conversations.py` (spec §3.2). */
export const SDF_DEFAULT_MAX_TOKENS = 512

export interface PlanFromSdfConfigOptions {
  /** The discussion id; defaults to the config's id. */
  id?: string
  seed: number
  /** The model name to ask for (recorded in the plan; comments record the backend's). */
  model: string
  maxTokens?: number
  /** Default: llama-cpp-python's chat-completion defaults, which SDF used. */
  sampling?: Omit<Sampling, 'seed'>
  /** Default `per-step`; `fixed` passes the seed to every call, as SDF v0 did. */
  callSeeds?: DiscussionPlan['call_seeds']
  /** Default SDF v0's exact prompts through the alpaca format. */
  promptMode?: PromptMode
  /** The file the config was read from, for provenance. */
  file?: string | null
}

export type SdfConfigInput = Omit<DiscussionConfig, 'id' | 'source'> & { id?: string | null }

/**
 * The plan SDF v0's `generate_conversations.py` would have run for an imported LLMConvData: its
 * prompts byte for byte (the config's attribute strings and context verbatim, alpaca format, SDF's
 * stop strings), its cleaning (only the ``` removal), its turn manager as it really behaved
 * (`random_weighted` never repeats the last speaker and ignores its probability), the moderator
 * after every non-blank user comment with blank replies logged and taking a history slot, and the
 * seed opinions as seed comments. Throws UnknownTurnManagerError for a turn manager SDF lacked.
 */
export function planFromSdfConfig(config: SdfConfigInput, options: PlanFromSdfConfigOptions): DiscussionPlan {
  const id = options.id ?? config.id
  if (!id) throw new RangeError('the config has no id; pass options.id')
  return DiscussionPlanSchema.parse({
    id,
    seed: options.seed,
    origin: { kind: 'sdf-config', config_id: config.id ?? null, file: options.file ?? null },
    context: config.context,
    topic: null,
    topic_id: null,
    config_id: config.id ?? null,
    users: config.participants.map((participant) => ({
      username: participant.username,
      attributes: [...participant.attributes],
      persona: participant.persona,
      persona_origin: 'recovered-from-prompt'
    })),
    user_instructions: config.user_instructions,
    moderator: config.moderator
      ? { name: config.moderator.name, attributes: [...config.moderator.attributes], instructions: config.moderator.instructions }
      : null,
    seed_comments: config.seed_comments,
    prefix: null,
    conv_len: config.conv_len,
    history_ctx_len: config.history_ctx_len,
    turn_policy: turnPolicyFromSdfName(config.turn_manager_type, config.turn_manager_config),
    moderator_policy: SDF_V0_MODERATOR_POLICY,
    prompt_mode: options.promptMode ?? { kind: 'sdf-v0', attribute_style: 'field-value-sex-word', prompt_format: 'sdf-alpaca' },
    cleaning: [...SDF_V0_CLEANING],
    model: options.model,
    sampling: options.sampling ?? { ...SDF_V0_SAMPLING },
    max_tokens: options.maxTokens ?? SDF_DEFAULT_MAX_TOKENS,
    call_seeds: options.callSeeds ?? 'per-step'
  })
}
