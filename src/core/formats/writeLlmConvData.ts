import type { DiscussionConfig } from '../schema/index.js'

/** SDF's `LLMConvData` (spec §1.5), keys in its dataclass order. */
export interface LlmConvDataJson {
  context: string
  user_names: string[]
  user_attributes: string[][]
  user_instructions: string
  turn_manager_type: string
  turn_manager_config: Record<string, number>
  conv_len: number
  history_ctx_len: number
  moderator_name: string | null
  moderator_attributes: string[] | null
  moderator_instructions: string | null
  seed_opinions: string[]
  /** null where the seed's author is unknown (Python would read it as None). */
  seed_opinion_usernames: (string | null)[]
}

/**
 * A discussion config as an SDF input file. Attribute lists are written as stored: they are SDF's
 * rendered strings, and re-rendering them here would change prompts that must stay byte-identical.
 */
export function toLlmConvData(config: Omit<DiscussionConfig, 'id' | 'source'>): LlmConvDataJson {
  return {
    context: config.context,
    user_names: config.participants.map((p) => p.username),
    user_attributes: config.participants.map((p) => [...p.attributes]),
    user_instructions: config.user_instructions,
    turn_manager_type: config.turn_manager_type,
    turn_manager_config: { ...config.turn_manager_config },
    conv_len: config.conv_len,
    history_ctx_len: config.history_ctx_len,
    moderator_name: config.moderator?.name ?? null,
    moderator_attributes: config.moderator ? [...config.moderator.attributes] : null,
    moderator_instructions: config.moderator?.instructions ?? null,
    seed_opinions: config.seed_comments.map((seed) => seed.text),
    seed_opinion_usernames: config.seed_comments.map((seed) => seed.author)
  }
}
