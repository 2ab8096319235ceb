import { describe, expect, it } from 'vitest'
import { gwetAC, gwetAC1, percentAgreement, reliabilityData } from '../../../../src/core/index.js'
import {
  CONT_3X3_ABSTRACTORS,
  DISTRIB_6_RATERS,
  KRIPPENDORFF_2011,
  ratingsFromCounts,
  ratingsFromTable
} from './publishedData.js'

// Published values from Gwet's own irrCAC package (kgwet/irrCAC README and weighting vignette),
// which implements the formulas of Gwet (2008) and of his Handbook of Inter-Rater Reliability (2014).
describe("Gwet's AC1 and AC2", () => {
  it("matches irrCAC on Krippendorff's 2011 data with missing values: AC1 = 0.77544", () => {
    expect(gwetAC1(KRIPPENDORFF_2011)).toBeCloseTo(0.77544, 5)
  })

  it('matches irrCAC with quadratic weights on the same data: AC2 = 0.914', () => {
    expect(gwetAC(KRIPPENDORFF_2011, { weights: 'quadratic' })).toBeCloseTo(0.914, 5)
  })

  it('matches irrCAC for two raters (cont3x3abstractors): AC1 = 0.8493, AC2 (quadratic) = 0.9402', () => {
    const data = ratingsFromTable(CONT_3X3_ABSTRACTORS)
    expect(gwetAC1(data)).toBeCloseTo(0.8493305, 6)
    expect(gwetAC(data, { weights: 'quadratic' })).toBeCloseTo(0.9402369, 6)
  })

  it('matches irrCAC for 6 raters (distrib.6raters): AC1 = 0.4448, AC2 (quadratic) = 0.4837', () => {
    const data = ratingsFromCounts(DISTRIB_6_RATERS)
    expect(gwetAC1(data)).toBeCloseTo(0.4448007, 6)
    expect(gwetAC(data, { weights: 'quadratic' })).toBeCloseTo(0.4837438, 6)
  })

  it('depends on the number of categories offered, so an unused category can be declared', () => {
    const data = reliabilityData([[1, 1], [1, 2], [2, 2]])
    expect(gwetAC1(data, { categories: [1, 2, 3] })).not.toBeCloseTo(gwetAC1(data), 3)
  })

  it('is 1 when every annotator used one and the same category (chance agreement taken as 0)', () => {
    expect(gwetAC1(reliabilityData([['x', 'x'], ['x', 'x']]))).toBe(1)
  })

  it('is NaN when no unit is pairable', () => {
    expect(gwetAC1(reliabilityData([[1, null], [null, 1]]))).toBeNaN()
  })
})

describe('percent agreement', () => {
  // irrCAC README: pa.coeff.raw(cac.raw4raters) = 0.8181818; weighting vignette: 0.9753788
  // with quadratic weights; pa2.table(cont3x3abstractors) = 0.89.
  it("matches irrCAC: 0.8182 on Krippendorff's 2011 data, 0.9754 weighted, 0.89 for two raters", () => {
    expect(percentAgreement(KRIPPENDORFF_2011)).toBeCloseTo(0.8181818, 6)
    expect(percentAgreement(KRIPPENDORFF_2011, { weights: 'quadratic' })).toBeCloseTo(0.9753788, 6)
    expect(percentAgreement(ratingsFromTable(CONT_3X3_ABSTRACTORS))).toBeCloseTo(0.89, 10)
  })

  it('is the share of agreeing annotator pairs, averaged over pairable units', () => {
    // Unit 1: 3 of 3 pairs agree; unit 2: 1 of 3 pairs; unit 3 has one value and is skipped.
    const data = reliabilityData([[1, 1, 1], [1, 1, 2], [1, null, null]])
    expect(percentAgreement(data)).toBeCloseTo((1 + 1 / 3) / 2, 12)
  })
})
