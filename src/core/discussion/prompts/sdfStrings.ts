/** Exact strings of SDF v0 (`ddf44cf`), spec §7. */

/** Note the trailing space: the context adds ` '<topic>'`, hence SDF's double space. */
export const SDF_V0_CONTEXT_PREFIX =
  'You are a human participating in an online chatroom. You see the following post on a social media site: '

/** v0.1+ moved the topic out of the context into a seed opinion. */
export const SDF_V01_CONTEXT = 'You are a human participating in an online chatroom.'

/** Passed to every llama call, conversations and annotations alike; `"User"` is case-sensitive. */
export const SDF_STOP_STRINGS: readonly string[] = ['###', '\n\n', 'User']

/** Removed from every conversation reply (`remove_string_list`, since `6bc9249`). */
export const SDF_REMOVAL_LIST: readonly string[] = ['```']

export const SDF_DEFAULT_MODERATOR_NAME = 'moderator'
export const SDF_DEFAULT_MODERATOR_ATTRIBUTES: readonly string[] = ['just', 'strict', 'understanding']

/** v0.1's `SEED_USERNAMES`: who "said" the seed opinion when no participant was named. */
export const SDF_SEED_USERNAME = 'FirstUser'

/** History wrapping width of `format_chat_message`. */
export const SDF_WRAP_WIDTH = 70
