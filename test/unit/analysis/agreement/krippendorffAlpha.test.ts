import { describe, expect, it } from 'vitest'
import {
  AgreementError,
  coincidenceMatrix,
  krippendorffAlpha,
  reliabilityData
} from '../../../../src/core/index.js'
import { KRIPPENDORFF_2011, WIKIPEDIA_ALPHA } from './publishedData.js'

describe("Krippendorff's alpha", () => {
  // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section E (4 observers ×
  // 12 units, missing values). Nominal .743 is also irrCAC's krippen.alpha.raw(cac.raw4raters) =
  // 0.74342 (kgwet/irrCAC README); interval .849 matches irrCAC's quadratic-weighted alpha 0.84911
  // (irrCAC weighting vignette); ordinal .815 and ratio .797 are asserted by the tests of the
  // `krippendorff` Python package (pln-fing-udelar/fast-krippendorff tests/test_krippendorff.py).
  it.each([
    ['nominal', 0.743],
    ['ordinal', 0.815],
    ['interval', 0.849],
    ['ratio', 0.797]
  ] as const)('matches Krippendorff (2011) at the %s level: %s', (level, published) => {
    expect(krippendorffAlpha(KRIPPENDORFF_2011, { level })).toBeCloseTo(published, 3)
  })

  it('gives 0.74342 nominal, the value Gwet publishes for the same data in irrCAC', () => {
    expect(krippendorffAlpha(KRIPPENDORFF_2011)).toBeCloseTo(0.74342, 5)
  })

  // Wikipedia "Krippendorff's alpha" computational example; values as asserted in the tests of
  // the `krippendorff` Python package (0.691358 nominal, 0.810845 interval).
  it('matches the Wikipedia computational example: 0.691 nominal and 0.811 interval', () => {
    expect(krippendorffAlpha(WIKIPEDIA_ALPHA, { level: 'nominal' })).toBeCloseTo(0.691358, 6)
    expect(krippendorffAlpha(WIKIPEDIA_ALPHA, { level: 'interval' })).toBeCloseTo(0.810845, 6)
  })

  it('counts each pairable value once in the coincidence matrix and skips units with one value', () => {
    const matrix = coincidenceMatrix(KRIPPENDORFF_2011, [1, 2, 3, 4, 5])
    // Krippendorff (2011): n_c = 9, 13, 10, 5, 3 and n = 40; the lone value of unit 12 is not pairable.
    expect(matrix.total).toBeCloseTo(40, 10)
    expect(matrix.marginals.map((n) => Number(n.toFixed(6)))).toEqual([9, 13, 10, 5, 3])
  })

  it('is 1 when annotators agree on every unit', () => {
    const data = reliabilityData([
      [1, 1, 1],
      [2, 2, null],
      [3, 3, 3]
    ])
    for (const level of ['nominal', 'ordinal', 'interval', 'ratio'] as const) {
      expect(krippendorffAlpha(data, { level })).toBe(1)
    }
  })

  it('is NaN, not a number, when no unit has two values to compare', () => {
    const data = reliabilityData([
      [1, null],
      [null, 2]
    ])
    expect(krippendorffAlpha(data)).toBeNaN()
  })

  it('is NaN when every pairable value is the same category, since chance agreement is then total', () => {
    expect(krippendorffAlpha(reliabilityData([['yes', 'yes'], ['yes', 'yes'], ['no', null]]))).toBeNaN()
  })

  it('treats strings and booleans as nominal categories', () => {
    const labels = reliabilityData([
      ['pos', 'pos', 'pos'],
      ['neg', 'neg', 'neg'],
      ['neu', 'neu', 'pos'],
      [null, 'pos', 'pos']
    ])
    const numbers = reliabilityData([
      [1, 1, 1],
      [2, 2, 2],
      [3, 3, 1],
      [null, 1, 1]
    ])
    expect(krippendorffAlpha(labels)).toBeCloseTo(krippendorffAlpha(numbers), 12)
    expect(krippendorffAlpha(reliabilityData([[true, true], [false, false], [true, false]]))).toBeCloseTo(
      krippendorffAlpha(reliabilityData([[1, 1], [0, 0], [1, 0]])),
      12
    )
  })

  it('ranks ordinal strings by the order given', () => {
    const data = reliabilityData(
      KRIPPENDORFF_2011.values.map((row) =>
        row.map((value) => (value === null ? null : (['vl', 'l', 'm', 'h', 'vh'][Number(value) - 1] ?? null)))
      )
    )
    expect(krippendorffAlpha(data, { level: 'ordinal', order: ['vl', 'l', 'm', 'h', 'vh'] })).toBeCloseTo(0.815, 3)
    expect(() => krippendorffAlpha(data, { level: 'ordinal' })).toThrow(/order/)
  })

  it('refuses text for interval data and negative numbers for ratio data, naming the cell', () => {
    const text = reliabilityData([[1, 'two']], { units: ['c7'], annotators: ['ann', 'bob'] })
    expect(() => krippendorffAlpha(text, { level: 'interval' })).toThrow(AgreementError)
    expect(() => krippendorffAlpha(text, { level: 'interval' })).toThrow(/unit c7, annotator bob/)
    expect(() => krippendorffAlpha(reliabilityData([[1, -1]]), { level: 'ratio' })).toThrow(/non-negative/)
  })
})
