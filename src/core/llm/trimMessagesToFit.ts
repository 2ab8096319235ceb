import { BackendError, type ChatMessage, type GenerationStats } from './backend.js'

export interface TrimTools {
  /** How many prompt tokens these messages render to (template and BOS included). */
  count(messages: readonly ChatMessage[]): number
  /** `text` without its first `tokens` tokens; '' once nothing is left. */
  dropLeadingTokens(text: string, tokens: number): string
}

export interface TrimResult {
  messages: ChatMessage[]
  promptTokens: number
  trimmed: GenerationStats['trimmed']
}

/**
 * Makes a prompt fit `budget` tokens (the context minus the room kept for `maxTokens`), so an
 * overflow never reaches llama.cpp. The policy, in order:
 * 1. drop the oldest non-system messages, one at a time, but never the last message (the turn
 *    being answered);
 * 2. if that is not enough, cut the oldest text (the start) of the longest of what is left, the
 *    last message or a system message, until it fits. In SDF's format the last message carries the
 *    whole discussion history and its end is the cue ("User Alice posted:"), so it is the history
 *    that goes; an oversized persona is cut rather than the question.
 * Only if the template itself does not fit does it throw BackendError 'context-overflow'.
 */
export function trimMessagesToFit(messages: readonly ChatMessage[], budget: number, tools: TrimTools): TrimResult {
  let current = [...messages]
  let tokens = tools.count(current)
  if (tokens <= budget) return { messages: current, promptTokens: tokens, trimmed: null }
  const originalTokens = tokens

  let removedMessages = 0
  while (tokens > budget) {
    const oldest = current.findIndex((message, index) => message.role !== 'system' && index < current.length - 1)
    if (oldest === -1) break
    current = current.filter((_, index) => index !== oldest)
    removedMessages++
    tokens = tools.count(current)
  }

  while (tokens > budget) {
    const index = longestTruncatable(current)
    if (index === undefined) break
    const message = current[index]!
    const cut = tools.dropLeadingTokens(message.content, tokens - budget)
    // Token counts of a cut text are not exactly additive; the loop cuts again until it fits.
    current = replaceAt(current, index, { ...message, content: cut.length < message.content.length ? cut : '' })
    tokens = tools.count(current)
  }

  if (tokens > budget) {
    throw new BackendError(
      'context-overflow',
      `the prompt does not fit the context even with every message emptied: the template needs ${tokens} tokens and only ${budget} are left after keeping room for maxTokens; lower maxTokens or raise contextSize`
    )
  }
  return { messages: current, promptTokens: tokens, trimmed: { removedMessages, removedTokens: originalTokens - tokens } }
}

/** Among the last message and the system messages, the longest one that still has text. */
function longestTruncatable(messages: readonly ChatMessage[]): number | undefined {
  let longest: number | undefined
  messages.forEach((message, index) => {
    const candidate = index === messages.length - 1 || message.role === 'system'
    if (!candidate || message.content === '') return
    if (longest === undefined || message.content.length > messages[longest]!.content.length) longest = index
  })
  return longest
}

function replaceAt(messages: readonly ChatMessage[], index: number, message: ChatMessage): ChatMessage[] {
  return messages.map((existing, at) => (at === index ? message : existing))
}
