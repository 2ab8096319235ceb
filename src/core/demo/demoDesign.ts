import type { ExperimentDesignInput } from '../design/experimentDesign.js'
import { DEMO_MODEL_FILE_NAME } from './demoModel.js'

export const DEMO_DESIGN_ID = 'demo-meaningless-text'

/** The starter annotator the demo labels its comments with. */
export const DEMO_ANNOTATOR_ID = 'example-annotator-toxicity'

/** The label the demo charts, and the condition it compares. */
export const DEMO_LABEL = 'toxicity'
export const DEMO_CONDITION = 'moderator_instructions'

/**
 * A small design over the starter library: 2 topics × (no moderator, a rules-only moderator) = 4
 * discussions of 3 users, a few short turns each, so the whole flow takes about a minute on a CPU.
 */
export function demoDesign(modelFileName: string = DEMO_MODEL_FILE_NAME): ExperimentDesignInput {
  return {
    id: DEMO_DESIGN_ID,
    name: 'Demo (demo model: meaningless text)',
    description:
      'A demo of the whole flow on the random-weight demo model: its comments are meaningless text. ' +
      'Made by the one-click demo; safe to delete.',
    seed: 1,
    mode: { kind: 'cross' },
    replicates: 1,
    factors: {
      personas: {
        pool: ['example-persona-quiet-librarian', 'example-persona-grumpy-gus', 'example-persona-farmer-jo', 'example-persona-nadia-codes'],
        users_per_discussion: 3
      },
      topics: ['example-topic-remote-work', 'example-topic-cycle-lanes'],
      user_instructions: ['example-user-plain'],
      moderator_instructions: [null, 'example-moderator-rules'],
      turn_policies: [{ kind: 'round-robin' }],
      models: [{ model: modelFileName, sampling: { temperature: 0.8 } }],
      prompt_modes: [{ kind: 'modern', history: 'transcript' }]
    },
    discussion: { conv_len: 3, history_ctx_len: 3, max_tokens: 24 }
  }
}
