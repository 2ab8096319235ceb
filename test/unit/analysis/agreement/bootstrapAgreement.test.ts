import { describe, expect, it } from 'vitest'
import {
  AgreementError,
  bootstrapAgreement,
  krippendorffAlpha,
  quantile,
  reliabilityData,
  type ReliabilityData
} from '../../../../src/core/index.js'
import { KRIPPENDORFF_2011 } from './publishedData.js'

const alpha = (data: ReliabilityData) => krippendorffAlpha(data)

describe('bootstrap confidence intervals', () => {
  it('returns the estimate on the data as given and a percentile interval around it', () => {
    const result = bootstrapAgreement(KRIPPENDORFF_2011, alpha, { replicates: 500, seed: 42 })
    expect(Object.keys(result)).toEqual(['estimate', 'lower', 'upper', 'level', 'replicates', 'discarded'])
    expect(result.estimate).toBeCloseTo(0.743, 3)
    expect(result.level).toBe(0.95)
    expect(result.lower).toBeLessThan(result.estimate)
    expect(result.upper).toBeLessThanOrEqual(1)
    expect(result.replicates + result.discarded).toBe(500)
  })

  it('gives the same interval for the same seed and another for another seed', () => {
    const first = bootstrapAgreement(KRIPPENDORFF_2011, alpha, { replicates: 200, seed: 7 })
    expect(bootstrapAgreement(KRIPPENDORFF_2011, alpha, { replicates: 200, seed: 7 })).toEqual(first)
    expect(bootstrapAgreement(KRIPPENDORFF_2011, alpha, { replicates: 200, seed: 8 })).not.toEqual(first)
  })

  it('narrows as the confidence level drops', () => {
    const wide = bootstrapAgreement(KRIPPENDORFF_2011, alpha, { replicates: 400, seed: 3, level: 0.99 })
    const narrow = bootstrapAgreement(KRIPPENDORFF_2011, alpha, { replicates: 400, seed: 3, level: 0.5 })
    expect(narrow.upper - narrow.lower).toBeLessThan(wide.upper - wide.lower)
  })

  it('drops resamples where the coefficient is undefined and says how many', () => {
    // One informative unit among many single-value ones: most resamples have nothing to compare.
    const data = reliabilityData([[1, 2], [1, null], [2, null], [3, null], [4, null], [5, null]])
    const result = bootstrapAgreement(data, alpha, { replicates: 100, seed: 1 })
    expect(result.discarded).toBeGreaterThan(0)
    expect(result.replicates).toBe(100 - result.discarded)
  })

  it('refuses a non-positive number of replicates or a level outside (0, 1)', () => {
    expect(() => bootstrapAgreement(KRIPPENDORFF_2011, alpha, { replicates: 0 })).toThrow(AgreementError)
    expect(() => bootstrapAgreement(KRIPPENDORFF_2011, alpha, { level: 1 })).toThrow(AgreementError)
  })

  it('reads quantiles by linear interpolation between order statistics (numpy default)', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5)
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75)
    expect(quantile([], 0.5)).toBeNaN()
  })
})
