import type { PersonaSnapshot } from '../../schema/index.js'
import type { HistoryEntry } from './historyEntry.js'

/** Everything a prompt mode may use to build one speaker's turn. */
export interface PromptInput {
  /** The speaker's name in the discussion. */
  name: string
  role: 'user' | 'moderator'
  /**
   * SDF's rendered attribute strings (`DiscussionConfig` participants and moderator keep them). The
   * SDF modes use them verbatim when given, so imported configs give byte-identical prompts.
   */
  attributes?: readonly string[]
  /** The structured persona; the SDF modes render it when `attributes` is absent. */
  persona?: PersonaSnapshot
  /** SDF's context. In SDF v0 it holds the topic; for the modern mode pass one without it. */
  context: string
  instructions: string
  /** The opening post, for the modern and custom modes (SDF v0 carried it in the context). */
  topic?: string | null
  /** The visible window, oldest first, already cut to size and budget. */
  history: readonly HistoryEntry[]
}
