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
 * 2. if that is not enough, cut the oldest text (the start) of the last message, which in SDF's
 *    format holds the whole discussion history;
 * 3. then cut the start of the system message(s), oldest first: a persona cut short beats no answer.
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

  for (const index of truncationOrder(current)) {
    if (tokens <= budget) break
    const original = current[index]!
    let drop = tokens - budget
    while (tokens > budget && current[index]!.content !== '') {
      current = replaceAt(current, index, { ...original, content: tools.dropLeadingTokens(original.content, drop) })
      tokens = tools.count(current)
      // Token counts of a cut text are not exactly additive, so cut further until it fits.
      drop += Math.max(1, tokens - budget)
    }
  }

  if (tokens > budget) {
    throw new BackendError(
      'context-overflow',
      `the prompt does not fit the context even with every message emptied: the template needs ${tokens} tokens and only ${budget} are left after keeping room for maxTokens; lower maxTokens or raise contextSize`
    )
  }
  return { messages: current, promptTokens: tokens, trimmed: { removedMessages, removedTokens: originalTokens - tokens } }
}

function truncationOrder(messages: readonly ChatMessage[]): number[] {
  const last = messages.length - 1
  const systems = messages.flatMap((message, index) => (message.role === 'system' && index !== last ? [index] : []))
  return [last, ...systems]
}

function replaceAt(messages: readonly ChatMessage[], index: number, message: ChatMessage): ChatMessage[] {
  return messages.map((existing, at) => (at === index ? message : existing))
}
