import { describe, expect, it } from 'vitest'
import {
  AgreementError,
  cohenKappa,
  cohenKappaFromTable,
  fleissKappa,
  reliabilityData
} from '../../../../src/core/index.js'
import {
  CONT_3X3_ABSTRACTORS,
  DISTRIB_6_RATERS,
  FLEISS_WIKIPEDIA_COUNTS,
  KRIPPENDORFF_2011,
  ratingsFromCounts,
  ratingsFromTable
} from './publishedData.js'

describe("Fleiss' kappa", () => {
  // Wikipedia "Fleiss' kappa" worked example: P̄ = 0.378, P̄e = 0.213, κ = 0.210; statsmodels'
  // test_inter_rater asserts the same table gives kappa_wp = 0.210.
  it('matches the Wikipedia worked example (10 subjects × 14 raters): 0.210', () => {
    expect(fleissKappa(ratingsFromCounts(FLEISS_WIKIPEDIA_COUNTS))).toBeCloseTo(0.20993, 5)
  })

  // irrCAC README (Gwet): fleiss.kappa.dist(distrib.6raters) = 0.4139265.
  it("matches Gwet's distrib.6raters example: 0.4139", () => {
    expect(fleissKappa(ratingsFromCounts(DISTRIB_6_RATERS))).toBeCloseTo(0.4139265, 6)
  })

  // irrCAC README: fleiss.kappa.raw(cac.raw4raters) = 0.76117 (Gwet's generalisation for missing
  // values); weighting vignette: 0.86494 with quadratic weights.
  it("generalises to missing values as Gwet does: 0.76117 on Krippendorff's 2011 data", () => {
    expect(fleissKappa(KRIPPENDORFF_2011)).toBeCloseTo(0.76117, 5)
    expect(fleissKappa(KRIPPENDORFF_2011, { weights: 'quadratic' })).toBeCloseTo(0.86494, 5)
  })

  it('does not depend on which rater gave which rating', () => {
    const shuffled = reliabilityData(
      FLEISS_WIKIPEDIA_COUNTS.map((row, i) => {
        const ratings = row.flatMap((count, k) => Array.from({ length: count }, () => k + 1))
        return ratings.map((_, j) => ratings[(j + i) % ratings.length] ?? null)
      })
    )
    expect(fleissKappa(shuffled)).toBeCloseTo(0.20993, 5)
  })

  it('is NaN when only one category was used or no unit is pairable', () => {
    expect(fleissKappa(reliabilityData([[1, 1], [1, 1]]))).toBeNaN()
    expect(fleissKappa(reliabilityData([[1, null], [null, 2]]))).toBeNaN()
  })
})

describe("Cohen's kappa", () => {
  // Wikipedia "Cohen's kappa", first example: 50 grant proposals, readers A and B, yes/yes 20,
  // yes/no 5, no/yes 10, no/no 15: p_o = 0.7, p_e = 0.5, κ = 0.4.
  it('matches the Wikipedia 50-proposal yes/no example: 0.4', () => {
    expect(cohenKappaFromTable([[20, 5], [10, 15]])).toBeCloseTo(0.4, 10)
    expect(cohenKappa(ratingsFromTable([[20, 5], [10, 15]]))).toBeCloseTo(0.4, 10)
  })

  // Two 2 × 2 tables with the same 60 % agreement but different marginals (the "paradox" tables
  // on Wikipedia's Cohen's kappa page). Values computed by hand from Cohen's formula:
  // (0.60 − 0.54)/(1 − 0.54) = 0.1304 and (0.60 − 0.46)/(1 − 0.46) = 0.2593.
  it('gives different kappas to tables with equal agreement but different marginals', () => {
    expect(cohenKappaFromTable([[45, 15], [25, 15]])).toBeCloseTo(0.1304, 4)
    expect(cohenKappaFromTable([[25, 35], [5, 35]])).toBeCloseTo(0.2593, 4)
  })

  // irrCAC README: kappa2.table(cont3x3abstractors) = 0.7964094; weighting vignette:
  // 0.8921569 with quadratic weights.
  it("matches Gwet's 3 × 3 abstractors table: 0.7964, and 0.8922 with quadratic weights", () => {
    expect(cohenKappaFromTable(CONT_3X3_ABSTRACTORS)).toBeCloseTo(0.7964094, 6)
    expect(cohenKappaFromTable(CONT_3X3_ABSTRACTORS, { weights: 'quadratic' })).toBeCloseTo(0.8921569, 6)
    expect(cohenKappa(ratingsFromTable(CONT_3X3_ABSTRACTORS), { weights: 'quadratic' })).toBeCloseTo(0.8921569, 6)
  })

  it('weights linearly by category distance', () => {
    // Hand-computed: p_o,w = (4 + 0.5·2)/6 = 5/6; marginals (1/2, 1/3, 1/6) both ways give
    // p_e,w = (9 + 4 + 1)/36 + 0.5·(2·6 + 2·2)/36 = 22/36, so κ_w = (30 − 22)/(36 − 22) = 4/7.
    const data = reliabilityData([
      [1, 1],
      [1, 1],
      [2, 2],
      [3, 3],
      [1, 2],
      [2, 1]
    ])
    expect(cohenKappa(data, { weights: 'linear' })).toBeCloseTo(4 / 7, 10)
  })

  it('uses only the units both annotators rated and refuses other numbers of annotators', () => {
    const data = reliabilityData([[1, 1], [2, 2], [1, 2], [null, 1], [2, null]])
    expect(cohenKappa(data)).toBeCloseTo(cohenKappa(reliabilityData([[1, 1], [2, 2], [1, 2]])), 12)
    expect(() => cohenKappa(KRIPPENDORFF_2011)).toThrow(AgreementError)
  })
})
