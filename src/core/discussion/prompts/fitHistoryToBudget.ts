export interface HistoryBudget<T> {
  /** Tokens the rendered prompt may use (the context minus the room kept for the reply). */
  budget: number
  /** The model's tokenizer, passed in by the engine; this module stays pure. */
  countTokens: (text: string) => number
  /** The whole prompt text for a given history (all messages, as the model will read them). */
  render: (history: readonly T[]) => string
}

export interface FittedHistory<T> {
  history: T[]
  /** How many of the oldest entries were dropped. */
  dropped: number
  tokens: number
  /** False when even an empty history does not fit: the persona and instructions alone are too long. */
  fits: boolean
}

/**
 * Drops the oldest history entries until the rendered prompt fits `budget` (SDF never checked and
 * crashed on overflow, spec §6 item 12). Whole comments go, never parts of one, so a speaker never
 * sees a comment cut off mid-sentence.
 */
export function fitHistoryToBudget<T>(history: readonly T[], options: HistoryBudget<T>): FittedHistory<T> {
  for (let dropped = 0; dropped <= history.length; dropped += 1) {
    const kept = history.slice(dropped)
    const tokens = options.countTokens(options.render(kept))
    if (tokens <= options.budget) return { history: kept, dropped, tokens, fits: true }
    if (dropped === history.length) return { history: [], dropped, tokens, fits: false }
  }
  // Unreachable: the loop returns once dropped reaches history.length.
  return { history: [], dropped: history.length, tokens: 0, fits: false }
}
