import { describe, expect, it } from 'vitest'
import {
  AgreementError,
  agreementCoefficient,
  agreementWeights,
  fleissKappa,
  gwetAC,
  krippendorffAlpha
} from '../../../../src/core/index.js'
import { KRIPPENDORFF_2011 } from './publishedData.js'

describe('agreement weights', () => {
  // irrCAC weighting vignette prints these matrices for categories 1:3.
  it("match Gwet's printed weights for three categories", () => {
    expect(agreementWeights('identity', [1, 2, 3])).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    expect(agreementWeights('linear', [1, 2, 3])).toEqual([[1, 0.5, 0], [0.5, 1, 0.5], [0, 0.5, 1]])
    expect(agreementWeights('quadratic', [1, 2, 3])).toEqual([[1, 0.75, 0], [0.75, 1, 0.75], [0, 0.75, 1]])
    const ordinal = agreementWeights('ordinal', [1, 2, 3])
    expect(ordinal[0]?.[1]).toBeCloseTo(0.6666667, 6)
    expect(ordinal[0]?.[2]).toBe(0)
  })

  it('weight numeric categories by value and other categories by rank', () => {
    expect(agreementWeights('linear', [0, 1, 4])[0]?.[1]).toBeCloseTo(0.75, 12)
    expect(agreementWeights('linear', ['low', 'mid', 'high'])[0]?.[1]).toBe(0.5)
  })
})

describe('choosing a coefficient by metric and level', () => {
  it('maps each metric and level to the coefficient it names', () => {
    expect(agreementCoefficient('alpha', 'ordinal')(KRIPPENDORFF_2011)).toBe(
      krippendorffAlpha(KRIPPENDORFF_2011, { level: 'ordinal' })
    )
    expect(agreementCoefficient('fleiss', 'nominal')(KRIPPENDORFF_2011)).toBe(fleissKappa(KRIPPENDORFF_2011))
    expect(agreementCoefficient('ac1', 'interval')(KRIPPENDORFF_2011)).toBe(
      gwetAC(KRIPPENDORFF_2011, { weights: 'quadratic' })
    )
  })

  it("refuses Fleiss' kappa above the nominal level and names the alternatives", () => {
    expect(() => agreementCoefficient('fleiss', 'interval')).toThrow(AgreementError)
    expect(() => agreementCoefficient('fleiss', 'ordinal')).toThrow(/nominal data only.*alpha.*ac1/)
  })
})
