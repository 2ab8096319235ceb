import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  MEASUREMENT_LEVELS,
  bootstrapAgreement,
  fleissKappa,
  gwetAC1,
  krippendorffAlpha,
  reliabilityData,
  selectAnnotators,
  selectUnits,
  type ReliabilityData
} from '../../../../src/core/index.js'

const RUNS = { numRuns: 200 }

/** Units × annotators of ratings 1–5 with about a fifth missing. */
const reliability = fc
  .integer({ min: 2, max: 5 })
  .chain((annotators) =>
    fc.array(
      fc.array(fc.option(fc.integer({ min: 1, max: 5 }), { nil: null, freq: 4 }), {
        minLength: annotators,
        maxLength: annotators
      }),
      { minLength: 1, maxLength: 15 }
    )
  )
  .map((rows) => reliabilityData(rows))

const permuted = reliability.chain((data) =>
  fc.tuple(
    fc.constant(data),
    fc.shuffledSubarray([...data.units.keys()], { minLength: data.units.length, maxLength: data.units.length }),
    fc.shuffledSubarray([...data.annotators], { minLength: data.annotators.length, maxLength: data.annotators.length })
  )
)

function sameOrBothNaN(actual: number, expected: number): void {
  if (Number.isNaN(expected)) expect(actual).toBeNaN()
  else expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)))
}

function mapValues(data: ReliabilityData, f: (value: number) => number): ReliabilityData {
  return reliabilityData(data.values.map((row) => row.map((value) => (value === null ? null : f(Number(value))))))
}

describe("properties of Krippendorff's alpha", () => {
  it('does not change when annotators or units are put in another order', () => {
    fc.assert(
      fc.property(permuted, ([data, units, annotators]) => {
        const reordered = selectAnnotators(selectUnits(data, units), annotators)
        for (const level of MEASUREMENT_LEVELS) {
          sameOrBothNaN(krippendorffAlpha(reordered, { level }), krippendorffAlpha(data, { level }))
        }
      }),
      RUNS
    )
  })

  it('is never above 1', () => {
    fc.assert(
      fc.property(reliability, (data) => {
        for (const level of MEASUREMENT_LEVELS) {
          const alpha = krippendorffAlpha(data, { level })
          if (!Number.isNaN(alpha)) expect(alpha).toBeLessThanOrEqual(1 + 1e-12)
        }
      }),
      RUNS
    )
  })

  it('at the interval level, does not change under an affine transform of the values', () => {
    const scale = fc.double({ min: 0.01, max: 100, noNaN: true }).chain((a) => fc.constantFrom(a, -a))
    const shift = fc.double({ min: -1000, max: 1000, noNaN: true })
    fc.assert(
      fc.property(reliability, scale, shift, (data, a, b) => {
        const alpha = krippendorffAlpha(data, { level: 'interval' })
        const transformed = krippendorffAlpha(mapValues(data, (x) => a * x + b), { level: 'interval' })
        if (Number.isNaN(alpha)) expect(transformed).toBeNaN()
        else expect(Math.abs(transformed - alpha)).toBeLessThan(1e-6)
      }),
      RUNS
    )
  })

  it('at the nominal level, does not change when categories are renamed', () => {
    fc.assert(
      fc.property(reliability, (data) => {
        const renamed = reliabilityData(
          data.values.map((row) => row.map((value) => (value === null ? null : `category ${6 - Number(value)}`)))
        )
        sameOrBothNaN(krippendorffAlpha(renamed), krippendorffAlpha(data))
      }),
      RUNS
    )
  })

  it('at the ordinal level, depends only on the order of the values, not their spacing', () => {
    fc.assert(
      fc.property(reliability, (data) => {
        const cubed = mapValues(data, (x) => x ** 3)
        sameOrBothNaN(krippendorffAlpha(cubed, { level: 'ordinal' }), krippendorffAlpha(data, { level: 'ordinal' }))
      }),
      RUNS
    )
  })
})

describe('properties of the other coefficients', () => {
  it("Fleiss' kappa and AC1 do not change when units or annotators are reordered", () => {
    fc.assert(
      fc.property(permuted, ([data, units, annotators]) => {
        const reordered = selectAnnotators(selectUnits(data, units), annotators)
        sameOrBothNaN(fleissKappa(reordered), fleissKappa(data))
        sameOrBothNaN(gwetAC1(reordered), gwetAC1(data))
      }),
      RUNS
    )
  })

  it('a bootstrap interval is reproducible from its seed and lies within the replicate range', () => {
    fc.assert(
      fc.property(reliability, fc.integer({ min: 0, max: 1000 }), (data, seed) => {
        const alpha = (d: ReliabilityData) => krippendorffAlpha(d)
        const first = bootstrapAgreement(data, alpha, { replicates: 30, seed })
        const second = bootstrapAgreement(data, alpha, { replicates: 30, seed })
        expect(second).toEqual(first)
        if (first.replicates > 0) expect(first.lower).toBeLessThanOrEqual(first.upper)
        expect(first.replicates + first.discarded).toBe(30)
      }),
      { numRuns: 50 }
    )
  })
})
