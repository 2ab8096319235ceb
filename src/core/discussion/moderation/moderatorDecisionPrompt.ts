/** The answers the engine's grammar allows for the `llm-decided` moderator question. */
export const MODERATOR_DECISION_CHOICES = ['yes', 'no'] as const

export interface ModeratorDecisionPromptInput {
  moderatorName: string
  instructions: string
  /** The visible history, already rendered one comment per line (`name: text`). */
  transcript: string
}

/** The yes/no question for the `llm-decided` policy, as a system and a user message. */
export function moderatorDecisionPrompt(input: ModeratorDecisionPromptInput): { system: string; user: string } {
  const system =
    `You are ${input.moderatorName}, the moderator of an online discussion.` +
    (input.instructions.trim() === '' ? '' : `\n\nYour instructions:\n${input.instructions}`)
  const history = input.transcript.trim() === '' ? '(no comments yet)' : input.transcript
  const user =
    `The discussion so far:\n\n${history}\n\n` +
    `Should you, ${input.moderatorName}, write a moderator comment now? Answer with exactly one word: yes or no.`
  return { system, user }
}

/**
 * true for yes, false for no, null for anything else. Reads the first word only, ignoring case,
 * quotes, markdown and punctuation: "Yes.", "**No**", "yes, because…" all count.
 */
export function parseModeratorDecision(answer: string): boolean | null {
  const first = /[\p{L}]+/u.exec(answer.normalize('NFKC'))?.[0]?.toLowerCase()
  if (first === 'yes' || first === 'y' || first === 'true') return true
  if (first === 'no' || first === 'n' || first === 'false') return false
  return null
}
