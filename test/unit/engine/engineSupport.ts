import {
  planFromSdfConfig,
  runDiscussion,
  sdfV0Context,
  type Discussion,
  type DiscussionEvent,
  type DiscussionPlan,
  type InferenceBackend,
  type RunDiscussionOptions,
  type SdfConfigInput
} from '../../../src/core/index.js'
import { fixedClock } from './scriptedBackend.js'

export const TOPIC = 'Is pineapple on pizza a crime?\n'

/** An SDF v0 LLMConvData as the importer reads it: three users, a moderator, round robin. */
export function sdfConfig(overrides: Partial<SdfConfigInput> = {}): SdfConfigInput {
  return {
    id: 'conv-1',
    context: sdfV0Context(TOPIC),
    participants: [
      { username: 'Ann', attributes: ['username: Ann', 'age: 29', 'man'], persona: { username: 'Ann', age: 29, extra_attributes: {} } },
      { username: 'Bob', attributes: ['username: Bob', 'age: 41', 'woman'], persona: { username: 'Bob', age: 41, extra_attributes: {} } },
      { username: 'Cid', attributes: ['username: Cid', 'age: 35', 'non-binary'], persona: { username: 'Cid', age: 35, extra_attributes: {} } }
    ],
    user_instructions: 'Write a brief Reddit comment.',
    turn_manager_type: 'round_robin',
    turn_manager_config: {},
    conv_len: 5,
    history_ctx_len: 2,
    moderator: { name: 'moderator', attributes: ['just', 'strict', 'understanding'], instructions: 'Keep it civil.' },
    seed_comments: [],
    ...overrides
  }
}

export function sdfPlan(overrides: Partial<SdfConfigInput> = {}, options: Partial<Parameters<typeof planFromSdfConfig>[1]> = {}): DiscussionPlan {
  return planFromSdfConfig(sdfConfig(overrides), { seed: 42, model: 'scripted-model', maxTokens: 64, ...options })
}

export async function collect(events: AsyncIterable<DiscussionEvent>): Promise<DiscussionEvent[]> {
  const all: DiscussionEvent[] = []
  for await (const event of events) all.push(event)
  return all
}

/** Runs a plan to the end with a fixed clock; returns the events and the finished discussion. */
export async function run(
  plan: DiscussionPlan,
  backend: InferenceBackend,
  options: RunDiscussionOptions = {}
): Promise<{ events: DiscussionEvent[]; discussion: Discussion }> {
  const events = await collect(runDiscussion(plan, backend, { now: fixedClock(), ...options }))
  const last = events[events.length - 1]
  if (last?.type !== 'discussion-done') throw new Error(`the discussion did not finish: ${JSON.stringify(last)}`)
  return { events, discussion: last.discussion }
}

export function ofType<T extends DiscussionEvent['type']>(events: readonly DiscussionEvent[], type: T): Extract<DiscussionEvent, { type: T }>[] {
  return events.filter((event): event is Extract<DiscussionEvent, { type: T }> => event.type === type)
}

/** A comment without its timings, for comparing runs made at different times. */
export function withoutTimings<T extends { timings?: unknown }>(comment: T): Omit<T, 'timings'> {
  const { timings: _timings, ...rest } = comment
  return rest
}
