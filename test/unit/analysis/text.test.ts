import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  isSilentText,
  lcsLength,
  lcsLengthTable,
  lcsMasks,
  pairwiseRougeL,
  removeMentions,
  rougeL,
  rougeTokens,
  wordCount
} from '../../../src/core/analysis/index.js'

describe('ROUGE-L', () => {
  it("reproduces Lin (2004) §3.1: S2 'police kill the gunman' and S3 'the gunman kill police' against S1", () => {
    // LCS(S1, S2) = "police the gunman" (3 of 4 words): R = P = F = 0.75. LCS(S1, S3) = "the gunman": 0.5.
    expect(rougeL('police killed the gunman', 'police kill the gunman').fmeasure).toBeCloseTo(0.75, 12)
    expect(rougeL('police killed the gunman', 'the gunman kill police').fmeasure).toBeCloseTo(0.5, 12)
  })

  it("reproduces the rouge_score README example (google-research/google-research, rouge/README.md)", () => {
    // scorer.score('The quick brown fox jumps over the lazy dog', 'The quick brown dog jumps on the log.')
    // → rougeL Score(precision=0.625, recall=0.5555555555555556, fmeasure=0.5882352941176471);
    // by hand: LCS = "the quick brown jumps the" = 5, P = 5/8, R = 5/9, F = 10/17.
    const score = rougeL('The quick brown fox jumps over the lazy dog', 'The quick brown dog jumps on the log.')
    expect(score.precision).toBeCloseTo(0.625, 12)
    expect(score.recall).toBeCloseTo(0.5555555555555556, 12)
    expect(score.fmeasure).toBeCloseTo(0.5882352941176471, 12)
  })

  it('tokenizes like rouge_score: lowercase, punctuation splits, letters beyond ASCII kept', () => {
    expect(rougeTokens("Don't STOP-me now, 2 times!")).toEqual(['don', 't', 'stop', 'me', 'now', '2', 'times'])
    expect(rougeTokens('Καλημέρα κόσμε')).toEqual(['καλημέρα', 'κόσμε'])
    expect(rougeL('', 'anything').fmeasure).toBe(0)
  })

  it('averages F1 over every pair of a discussion', () => {
    // pairs: (S1,S2) 0.75, (S1,S3) 0.5, (S2,S3): LCS "the gunman" = 2 of 4 and 4 → 0.5
    const result = pairwiseRougeL(['police killed the gunman', 'police kill the gunman', 'the gunman kill police'])
    expect(result.pairs).toBe(3)
    expect(result.mean_f1).toBeCloseTo((0.75 + 0.5 + 0.5) / 3, 12)
    expect(pairwiseRougeL(['alone']).mean_f1).toBeNull()
  })

  it('counts pairs with an empty text as F1 0, as rouge_score scores them', () => {
    expect(pairwiseRougeL(['same words', 'same words', '...'])).toEqual({ mean_f1: 1 / 3, pairs: 3 })
  })
})

describe('bit-parallel LCS', () => {
  it('agrees with the dynamic programme on random sequences of every length, past 32-bit word boundaries', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 140 }),
        fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 140 }),
        (a, b) => {
          expect(lcsLength(lcsMasks(a), b)).toBe(lcsLengthTable(a, b))
        }
      ),
      { numRuns: 400 }
    )
  })

  it('gives the same lengths when each sequence\'s masks reuse the arrays of the previous one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 100 }), fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 100 })), {
          minLength: 2,
          maxLength: 8
        }),
        (pairs) => {
          let masks: ReturnType<typeof lcsMasks> | undefined
          for (const [a, b] of pairs) {
            masks = lcsMasks(a, 10, masks)
            expect(lcsLength(masks, b)).toBe(lcsLengthTable(a, b))
          }
        }
      ),
      { numRuns: 300 }
    )
  })

  it('handles exact multiples of 32 and identical sequences', () => {
    const a = Array.from({ length: 64 }, (_, i) => i % 5)
    expect(lcsLength(lcsMasks(a), a)).toBe(64)
    expect(lcsLength(lcsMasks([]), [1, 2])).toBe(0)
  })
})

describe('comment text helpers', () => {
  it('removes @mentions, names with digits and underscores included', () => {
    expect(rougeTokens(removeMentions('@DarkShadow333 you are wrong, @Zoe_1!'))).toEqual(['you', 'are', 'wrong'])
  })

  it("counts words as Python's str.split() does", () => {
    expect(wordCount('  one two\tthree\nfour  ')).toBe(4)
    expect(wordCount('')).toBe(0)
    expect(wordCount('a\u00a0b')).toBe(2)
  })

  it('treats empty and quote-only replies as silence', () => {
    for (const silent of ['', '   ', '""', ' "" ', "''", '“”']) expect(isSilentText(silent)).toBe(true)
    for (const spoken of ['"ok"', 'no', '…']) expect(isSilentText(spoken)).toBe(false)
  })
})
