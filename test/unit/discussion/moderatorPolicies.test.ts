import { describe, expect, it } from 'vitest'
import {
  decideModeratorTurn,
  isModeratorAddressed,
  MODERATOR_DECISION_CHOICES,
  moderatorDecisionPrompt,
  ModeratorPolicySchema,
  parseModeratorDecision,
  SDF_V0_MODERATOR_POLICY,
  SeededRandom,
  type ModeratorPolicy
} from '../../../src/core/index.js'

const comment = (text: string) => ({ comment: { author: 'Ann', text }, moderatorName: 'moderator' })

describe('moderator policies', () => {
  it("in SDF parity answers after every user comment and lets blank replies keep their history slot", () => {
    expect(SDF_V0_MODERATOR_POLICY).toEqual(ModeratorPolicySchema.parse({ kind: 'after-every-comment' }))
    expect(SDF_V0_MODERATOR_POLICY.silent_does_not_take_history_slot).toBe(false)
    expect(decideModeratorTurn(SDF_V0_MODERATOR_POLICY, comment('hi'), SeededRandom.fromSeed(1))).toBe('speak')
  })

  it('speaks with probability q, reproducibly', () => {
    const policy: ModeratorPolicy = { kind: 'probability', q: 0.3, silent_does_not_take_history_slot: true }
    const decide = (seed: number) => {
      const random = SeededRandom.fromSeed(seed).fork('moderation')
      return Array.from({ length: 5000 }, () => decideModeratorTurn(policy, comment('hi'), random))
    }
    const decisions = decide(3)
    expect(decisions.filter((d) => d === 'speak').length / decisions.length).toBeCloseTo(0.3, 1)
    expect(decide(3)).toEqual(decisions)
  })

  it('leaves the yes/no to the model when llm-decided', () => {
    const policy = ModeratorPolicySchema.parse({ kind: 'llm-decided' })
    expect(decideModeratorTurn(policy, comment('hi'), SeededRandom.fromSeed(1))).toBe('ask-model')
    expect(MODERATOR_DECISION_CHOICES).toEqual(['yes', 'no'])
  })

  it('only when addressed: speaks for @moderator or its name as a whole word', () => {
    const policy = ModeratorPolicySchema.parse({ kind: 'when-addressed' })
    const decide = (text: string, name = 'moderator') =>
      decideModeratorTurn(policy, { comment: { author: 'Ann', text }, moderatorName: name }, SeededRandom.fromSeed(1))
    expect(decide('@moderator please step in')).toBe('speak')
    expect(decide('Hey @Moderator, look')).toBe('speak')
    expect(decide('the moderator is asleep')).toBe('speak')
    expect(decide('moderators are useless')).toBe('stay-silent')
    expect(decide('@moderator_fan agrees')).toBe('stay-silent')
    expect(decide('no one here')).toBe('stay-silent')
    expect(decide('thanks mod_ann!', 'Mod_Ann')).toBe('speak')
    expect(decide('@Mod_Ann?', 'Mod_Ann')).toBe('speak')
    expect(decide('Mod_Anne said', 'Mod_Ann')).toBe('stay-silent')
    expect(decide('@moderator help', 'Mod_Ann')).toBe('speak')
    expect(decide('ask the moderator', 'Mod_Ann')).toBe('stay-silent')
    expect(isModeratorAddressed('x@moderator', 'moderator')).toBe(false)
    expect(isModeratorAddressed('ping Dr. (Mod)', 'Dr. (Mod)')).toBe(true)
  })
})

describe('the llm-decided question', () => {
  it('asks a plain yes/no question with the visible history', () => {
    expect(moderatorDecisionPrompt({ moderatorName: 'moderator', instructions: 'Keep it civil.', transcript: 'Ann: you idiot' })).toEqual({
      system: 'You are moderator, the moderator of an online discussion.\n\nYour instructions:\nKeep it civil.',
      user:
        'The discussion so far:\n\nAnn: you idiot\n\nShould you, moderator, write a moderator comment now? Answer with exactly one word: yes or no.'
    })
  })

  it.each([
    ['yes', true],
    ['Yes.', true],
    ['**No**', false],
    [' "no" because it is fine', false],
    ['Y', true],
    ['maybe', null],
    ['', null]
  ] as const)('reads %j as %j', (answer, decision) => {
    expect(parseModeratorDecision(answer)).toBe(decision)
  })
})
