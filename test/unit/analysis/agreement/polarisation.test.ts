import { describe, expect, it } from 'vitest'
import {
  AgreementError,
  DEFAULT_TOLERANCES,
  aposterioriUnimodality,
  aposterioriUnit,
  histogram,
  isSignificantlyBigger,
  ndfu,
  personaFeature
} from '../../../../src/core/index.js'
import { annotation } from './publishedData.js'

describe('nDFU, the normalised distance from unimodality', () => {
  it('is 1 for two equal poles with nothing between them and 0 for one peak', () => {
    expect(ndfu([5, 0, 0, 0, 5])).toBe(1)
    expect(ndfu([1, 2, 5, 2, 1])).toBe(0)
    expect(ndfu([0, 0, 7, 0, 0])).toBe(0)
    expect(ndfu([1, 1, 1, 1, 1])).toBe(0)
  })

  // The tests of the reference implementation (ipavlopoulos/ndfu tests/test_core.py).
  it('matches the reference implementation: [0.2, 0.6, 0.2] → 0, [0.5, 0, 0.5] → 1 (0.5 unnormalised)', () => {
    expect(ndfu([0.2, 0.6, 0.2])).toBeCloseTo(0, 12)
    expect(ndfu([0.5, 0, 0.5])).toBeCloseTo(1, 12)
    expect(ndfu([0.5, 0, 0.5], { normalised: false })).toBeCloseTo(0.5, 12)
  })

  it('is the largest rise away from the highest bin divided by that bin', () => {
    // Mode 4 at bin 0; moving right the bins rise once, by 2: 2 / 4.
    expect(ndfu([4, 0, 2, 0, 0])).toBe(0.5)
    // The first of two equal modes is the reference, as in the reference code.
    expect(ndfu([3, 1, 3])).toBeCloseTo(2 / 3, 12)
  })

  it('gives the same value for counts and relative frequencies', () => {
    expect(ndfu([2, 1, 3, 2, 1])).toBeCloseTo(ndfu([2, 1, 3, 2, 1].map((n) => n / 9)), 12)
  })

  it('refuses a histogram without a mode', () => {
    expect(() => ndfu([])).toThrow(AgreementError)
    expect(() => ndfu([0, 0, 0])).toThrow(AgreementError)
    expect(() => ndfu([-1, 2, 3])).toThrow(AgreementError)
  })
})

describe('histograms for nDFU', () => {
  it('bins like numpy.histogram, the last bin closed', () => {
    // dimits-ts/annotation_agreement tests/test_ndfu.py: [1, 2, 2, 3, 3, 3, 4] in 4 bins → [1, 2, 3, 1].
    expect(histogram([1, 2, 2, 3, 3, 3, 4], { bins: 4 })).toEqual([1, 2, 3, 1])
    expect(histogram([1, 1, 2, 3, 3, 3, 4, 4, 5], { bins: 5, range: [1, 5] })).toEqual([2, 1, 3, 2, 1])
    expect(histogram([3, 3], { bins: 5 })).toEqual([0, 0, 2, 0, 0])
  })

  it('puts each point of a 1–5 scale in its own bin when given the scale as range', () => {
    expect(histogram([1, 2, 3, 4, 5, 5], { range: [1, 5] })).toEqual([1, 1, 1, 1, 2])
    expect(histogram([2, 2], { range: [1, 5] })).toEqual([0, 2, 0, 0, 0])
  })

  it('refuses values outside an explicit range', () => {
    expect(() => histogram([0, 3], { range: [1, 5] })).toThrow(/outside/)
  })
})

describe('aposteriori unimodality', () => {
  // The cases of dimits-ts/annotation_agreement tests/test_aposterioti.py, with ratings binned
  // into 5 bins over the comment's range before nDFU is taken.
  it('explains polarisation that splits along the feature and not when groups agree', () => {
    expect(aposterioriUnit([[1, 1, 1, 2], [2, 3, 3, 3]])).toBeCloseTo(2 / 3, 12)
    expect(aposterioriUnit([[1, 1, 1, 2], [3, 4, 3, 3]])).toBe(1)
    expect(aposterioriUnit([[1, 1, 1, 1], [1, 1, 1, 1]])).toBe(0)
    const unit = aposterioriUnit([[1, 1, 1, 1], [1.1, 1.1, 1.1, 1.1]])
    expect(isSignificantlyBigger(unit, 0, 2)).toBe(false)
    expect(isSignificantlyBigger(unit, 0, 1e-9)).toBe(true)
  })

  it('compares "significantly bigger" as the original, with an absolute tolerance', () => {
    expect(isSignificantlyBigger(0.6, 0.5, 0.01)).toBe(true)
    expect(isSignificantlyBigger(0.5, 0.6, 0.01)).toBe(false)
    expect(isSignificantlyBigger(0.5, 0.5, 0.01)).toBe(false)
    expect(isSignificantlyBigger(0.6, 0.5, 0.05)).toBe(true)
    expect(isSignificantlyBigger(0.55, 0.5, 0.1)).toBe(false)
    expect(isSignificantlyBigger(1e-10, 1e-10, 1e-12)).toBe(false)
    expect(isSignificantlyBigger(1, 0, 0.1)).toBe(true)
  })

  it('sweeps the tolerances SDF used, numpy.linspace(1, 1e-5, 6)', () => {
    expect(DEFAULT_TOLERANCES).toHaveLength(6)
    expect(DEFAULT_TOLERANCES[0]).toBe(1)
    expect(DEFAULT_TOLERANCES[1]).toBeCloseTo(0.800002, 12)
    expect(DEFAULT_TOLERANCES[5]).toBeCloseTo(1e-5, 12)
  })

  it('reports the share of comments whose disagreement a persona feature explains', () => {
    const rate = (comment: number, sex: string, values: number[]) =>
      values.map((toxicity, i) =>
        annotation({ discussion: 'd', comment, annotator: `${sex}-${i}`, values: { toxicity }, persona: { sex } })
      )
    const annotations = [
      // Comment 0: men say 1, women say 5: polarised along sex, each group unanimous.
      ...rate(0, 'male', [1, 1, 1, 1]),
      ...rate(0, 'female', [5, 5, 5, 5]),
      // Comment 1: both groups split 1 / 5 the same way: polarised, but not along sex.
      ...rate(1, 'male', [1, 5, 1, 5]),
      ...rate(1, 'female', [1, 5, 1, 5]),
      // Comment 2: consensus on 3.
      ...rate(2, 'male', [3, 3]),
      ...rate(2, 'female', [3, 3]),
      // Without a sex the annotation is left out.
      annotation({ discussion: 'd', comment: 2, annotator: 'anon', values: { toxicity: 1 }, persona: {} })
    ]
    const result = aposterioriUnimodality(annotations, 'toxicity', personaFeature('sex'), { tolerances: [1, 0.5, 0] })
    expect(result.comments.map((comment) => [comment.unit, comment.ndfu, comment.aposteriori])).toEqual([
      ['d#0', 1, 1],
      ['d#1', 1, 0],
      ['d#2', 0, 0]
    ])
    expect(result.byTolerance).toEqual([
      { tolerance: 1, explained: 0, comments: 3, share: 0 },
      { tolerance: 0.5, explained: 1, comments: 3, share: 1 / 3 },
      { tolerance: 0, explained: 1, comments: 3, share: 1 / 3 }
    ])
  })

  it('reads persona fields and extra attributes as features', () => {
    const withPersona = annotation({
      discussion: 'd',
      comment: 0,
      annotator: 'a',
      values: {},
      persona: { age: 29, personality_characteristics: ['kind', 'calm'], extra_attributes: { leaning: 'left' } }
    })
    expect(personaFeature('age')(withPersona)).toBe('29')
    expect(personaFeature('personality_characteristics')(withPersona)).toBe('calm, kind')
    expect(personaFeature('leaning')(withPersona)).toBe('left')
    expect(personaFeature('sex')(withPersona)).toBeNull()
  })

  it('refuses text ratings', () => {
    const text = [annotation({ discussion: 'd', comment: 0, annotator: 'a', values: { stance: 'for' }, persona: { sex: 'x' } })]
    expect(() => aposterioriUnimodality(text, 'stance', personaFeature('sex'))).toThrow(/not a number/)
  })
})
