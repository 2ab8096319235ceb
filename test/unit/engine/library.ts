import type { ExperimentDesignInput, Instruction, Persona, Topic } from '../../../src/core/index.js'

/** A small library and design shared by the engine tests and the discussions benchmark (no vitest here). */

export const PERSONAS: Persona[] = [
  { id: 'ann', username: 'Ann', age: 29, sex: 'female', current_employment: 'Nurse', personality_characteristics: ['calm'], extra_attributes: {} },
  { id: 'bob', username: 'Bob', age: 41, sex: 'male', special_instructions: 'You are an online troll.', extra_attributes: {} },
  { id: 'cid', username: 'Cid', age: 35, sex: 'other', education_level: 'PhD', extra_attributes: { political_leaning: 'left' } },
  { id: 'dee', username: 'Dee', age: 52, sex: 'female', extra_attributes: {} },
  { id: 'eve', username: 'Eve', age: 23, sex: 'female', extra_attributes: {} }
]

export const TOPICS: Topic[] = [
  { id: 'pizza', title: 'Pizza', text: 'Pineapple on pizza is a crime.\n', seed_comments: [] },
  { id: 'cats', title: 'Cats', text: 'Cats are better than dogs.', seed_comments: [{ author: 'Ann', text: 'Obviously.' }] }
]

export const INSTRUCTIONS: Instruction[] = [
  { id: 'vanilla', kind: 'user', name: 'Vanilla', text: 'Write a brief comment.' },
  { id: 'rules', kind: 'moderator', name: 'Rules', text: 'Enforce the rules.' }
]

/** A small design over the library above: 2 topics × (moderated, not) × `replicates`. */
export function testDesign(overrides: Partial<ExperimentDesignInput> = {}): ExperimentDesignInput {
  return {
    id: 'pilot',
    name: 'Pilot',
    seed: 7,
    replicates: 1,
    factors: {
      personas: { pool: PERSONAS.map((persona) => persona.id), users_per_discussion: 3 },
      topics: TOPICS.map((topic) => topic.id),
      user_instructions: ['vanilla'],
      moderator_instructions: ['rules', null],
      turn_policies: [{ kind: 'random' }],
      models: [{ model: 'tiny.gguf', sampling: { temperature: 0.8, topK: 40 } }],
      prompt_modes: [{ kind: 'sdf-v0' }]
    },
    discussion: { conv_len: 4, history_ctx_len: 3, max_tokens: 12 },
    ...overrides
  }
}
