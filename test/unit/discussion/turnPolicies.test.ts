import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  allowedNextSpeakers,
  chooseNextSpeaker,
  describeTurnPolicy,
  initialTurnState,
  parseSpeakerChoice,
  recordTurn,
  SeededRandom,
  speakerChoicePrompt,
  turnPolicyFromSdfName,
  TurnPolicySchema,
  unknownTurnManagerMessage,
  type TurnPolicy,
  type TurnState
} from '../../../src/core/index.js'

const NAMES = ['Ann', 'Bob', 'Cid', 'Dee']

/** Runs a policy for `turns` turns, one forked stream per turn as the engine will. */
function run(policy: TurnPolicy, turns: number, seed = 1, names = NAMES): string[] {
  const stream = SeededRandom.fromSeed(seed).fork('turns')
  let state: TurnState = initialTurnState(names)
  for (let turn = 0; turn < turns; turn += 1) {
    state = recordTurn(state, chooseNextSpeaker(policy, state, stream.fork(turn)))
  }
  return [...state.previous]
}

const repeats = (speakers: readonly string[]): number =>
  speakers.filter((speaker, i) => i > 0 && speaker === speakers[i - 1]).length

describe('round robin', () => {
  it('cycles through the participants in order, starting with the first', () => {
    expect(run({ kind: 'round-robin', random_first_speaker: false }, 9)).toEqual([
      'Ann', 'Bob', 'Cid', 'Dee', 'Ann', 'Bob', 'Cid', 'Dee', 'Ann'
    ])
  })

  it('can start with a random participant and then keeps the order', () => {
    const firsts = new Set<string>()
    for (let seed = 0; seed < 60; seed += 1) {
      const order = run({ kind: 'round-robin', random_first_speaker: true }, 8, seed)
      firsts.add(order[0] as string)
      const start = NAMES.indexOf(order[0] as string)
      expect(order).toEqual(Array.from({ length: 8 }, (_, i) => NAMES[(start + i) % NAMES.length]))
    }
    expect(firsts).toEqual(new Set(NAMES))
  })
})

describe('random', () => {
  it('never gives the previous speaker the turn and reaches everyone roughly equally', () => {
    const order = run({ kind: 'random' }, 4000, 9)
    expect(repeats(order)).toBe(0)
    for (const name of NAMES) expect(order.filter((s) => s === name).length / order.length).toBeCloseTo(0.25, 1)
  })
})

describe('respond (SynDisco 2.1.1+)', () => {
  it('with p = 0.7 gives the turn back to the one just replied to about 70% of the time', () => {
    const order = run({ kind: 'respond', p_respond: 0.7 }, 6000, 4)
    let replies = 0
    for (let i = 2; i < order.length; i += 1) if (order[i] === order[i - 2]) replies += 1
    const share = replies / (order.length - 2)
    // Without the reply rule the share would be 1/3 (a uniform pick among the three others).
    const expected = 0.7 + 0.3 / 3
    expect(Math.abs(share - expected)).toBeLessThan(0.02)
    expect(repeats(order)).toBe(0)
  })

  it('with p = 1 becomes a two-person back-and-forth after the first two turns', () => {
    const order = run({ kind: 'respond', p_respond: 1 }, 12, 2)
    for (let i = 2; i < order.length; i += 1) expect(order[i]).toBe(order[i - 2])
  })

  it('with p = 0 behaves like random: no repeats and no forced replies', () => {
    const order = run({ kind: 'respond', p_respond: 0 }, 3000, 6)
    expect(repeats(order)).toBe(0)
    let replies = 0
    for (let i = 2; i < order.length; i += 1) if (order[i] === order[i - 2]) replies += 1
    expect(replies / (order.length - 2)).toBeCloseTo(1 / 3, 1)
  })

  it('rejects probabilities outside [0, 1]', () => {
    expect(TurnPolicySchema.safeParse({ kind: 'respond', p_respond: 1.2 }).success).toBe(false)
    expect(TurnPolicySchema.safeParse({ kind: 'respond', p_respond: -0.1 }).success).toBe(false)
  })
})

describe("SDF v0 'random_weighted' as SDF actually ran it", () => {
  it('never repeats the previous speaker and ignores respond_probability entirely', () => {
    const low = run({ kind: 'sdf-v0-random-weighted', respond_probability: 0.05 }, 3000, 12)
    const high = run({ kind: 'sdf-v0-random-weighted', respond_probability: 0.95 }, 3000, 12)
    expect(repeats(low)).toBe(0)
    // The probability changes nothing, not even the draws: same seed, same order.
    expect(high).toEqual(low)
    let replies = 0
    for (let i = 2; i < low.length; i += 1) if (low[i] === low[i - 2]) replies += 1
    expect(replies / (low.length - 2)).toBeCloseTo(1 / 3, 1)
  })

  it('says so wherever users read about it', () => {
    expect(describeTurnPolicy('sdf-v0-random-weighted')).toMatch(/respond_probability has no effect/)
  })
})

describe('llm-chosen', () => {
  it('offers everyone but the last speaker, or everyone when repeats are allowed', () => {
    const state = recordTurn(initialTurnState(NAMES), 'Bob')
    expect(allowedNextSpeakers({ kind: 'llm-chosen', allow_repeat: false }, state)).toEqual(['Ann', 'Cid', 'Dee'])
    expect(allowedNextSpeakers({ kind: 'llm-chosen', allow_repeat: true }, state)).toEqual(NAMES)
  })

  it('builds a plain question and reads loose answers back to a name', () => {
    expect(speakerChoicePrompt('Ann: hi', ['Bob', 'Cid'])).toBe(
      'Here is an online discussion so far:\n\nAnn: hi\n\nWho should write the next comment? Answer with exactly one name from this list: Bob, Cid'
    )
    expect(parseSpeakerChoice(' **@Bob**.', ['Bob', 'Cid'])).toBe('Bob')
    expect(parseSpeakerChoice('"cid"', ['Bob', 'Cid'])).toBe('Cid')
    expect(parseSpeakerChoice('Dee', ['Bob', 'Cid'])).toBeNull()
    expect(parseSpeakerChoice('Bob and Cid', ['Bob', 'Cid'])).toBeNull()
  })
})

describe('allowedNextSpeakers', () => {
  it('names exactly the one participant a started round robin can pick', () => {
    const policy: TurnPolicy = { kind: 'round-robin', random_first_speaker: true }
    expect(allowedNextSpeakers(policy, initialTurnState(NAMES))).toEqual(NAMES)
    expect(allowedNextSpeakers(policy, recordTurn(initialTurnState(NAMES), 'Dee'))).toEqual(['Ann'])
  })
})

describe('every policy', () => {
  const policies = fc.oneof(
    fc.record({ kind: fc.constant('round-robin' as const), random_first_speaker: fc.boolean() }),
    fc.record({ kind: fc.constant('random' as const) }),
    fc.record({ kind: fc.constant('respond' as const), p_respond: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.record({
      kind: fc.constant('sdf-v0-random-weighted' as const),
      respond_probability: fc.option(fc.double({ noNaN: true }), { nil: null })
    }),
    fc.record({ kind: fc.constant('llm-chosen' as const), allow_repeat: fc.boolean() })
  )

  it('always picks a participant from the list, one that allowedNextSpeakers offered', () => {
    fc.assert(
      fc.property(
        policies,
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.nat(),
        (policy, names, history, seed) => {
          // The state may come from anywhere (a resumed journal, another policy), so it is arbitrary.
          const state: TurnState = { participants: names, previous: history.map((i) => names[i % names.length] as string) }
          const next = chooseNextSpeaker(policy, state, SeededRandom.fromSeed(seed))
          expect(names).toContain(next)
          expect(allowedNextSpeakers(policy, state)).toContain(next)
        }
      )
    )
  })

  it('gives the same order for the same seed', () => {
    const policy: TurnPolicy = { kind: 'respond', p_respond: 0.4 }
    expect(run(policy, 50, 77)).toEqual(run(policy, 50, 77))
    expect(run(policy, 50, 77)).not.toEqual(run(policy, 50, 78))
  })

  it('lets a one-person discussion go on with that person', () => {
    for (const policy of [{ kind: 'random' }, { kind: 'respond', p_respond: 0.5 }] as TurnPolicy[]) {
      expect(run(policy, 3, 1, ['Solo'])).toEqual(['Solo', 'Solo', 'Solo'])
    }
  })
})

describe('turnPolicyFromSdfName', () => {
  it("maps SDF's names case-insensitively, keeping random_weighted's probability without effect", () => {
    expect(turnPolicyFromSdfName('Round_Robin')).toEqual({ kind: 'round-robin', random_first_speaker: false })
    expect(turnPolicyFromSdfName('RANDOM_WEIGHTED', { respond_probability: 0.3 })).toEqual({
      kind: 'sdf-v0-random-weighted',
      respond_probability: 0.3
    })
  })

  it("maps SynDisco 2.2's queue, respond and random", () => {
    expect(turnPolicyFromSdfName('queue', { randomize_first_speaker: true })).toEqual({
      kind: 'round-robin',
      random_first_speaker: true
    })
    expect(turnPolicyFromSdfName('respond', { p_respond: 0.2 })).toEqual({ kind: 'respond', p_respond: 0.2 })
    expect(turnPolicyFromSdfName('respond')).toEqual({ kind: 'respond', p_respond: 0.5 })
    expect(turnPolicyFromSdfName('random')).toEqual({ kind: 'random' })
  })

  it("rejects 'round robin' with SDF's own message", () => {
    expect(unknownTurnManagerMessage('Round Robin')).toBe(
      'There is no turn manager option called round robin\nValid values: round_robin, random_weighted'
    )
    expect(() => turnPolicyFromSdfName('round robin')).toThrow(
      'There is no turn manager option called round robin\nValid values: round_robin, random_weighted\n'
    )
  })
})
