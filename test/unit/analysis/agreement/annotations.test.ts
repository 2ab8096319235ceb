import { describe, expect, it } from 'vitest'
import {
  AgreementError,
  agreementPerDiscussion,
  agreementPerLabel,
  annotationLabels,
  krippendorffAlpha,
  pairwiseAgreement,
  reliabilityData,
  reliabilityDataFromAnnotations,
  type ReliabilityData
} from '../../../../src/core/index.js'
import { KRIPPENDORFF_2011, annotation } from './publishedData.js'

const alpha = (data: ReliabilityData) => krippendorffAlpha(data)
const interval = (data: ReliabilityData) => krippendorffAlpha(data, { level: 'interval' })

/** Krippendorff's 2011 matrix as annotations: units 1–6 in discussion d1, 7–12 in d2. */
function krippendorffAnnotations() {
  return KRIPPENDORFF_2011.values.flatMap((row, unit) =>
    row.flatMap((value, column) =>
      value === null
        ? []
        : [
            annotation({
              discussion: unit < 6 ? 'd1' : 'd2',
              comment: unit % 6,
              annotator: KRIPPENDORFF_2011.annotators[column] ?? '?',
              values: { toxicity: value, stance: Number(value) > 2 ? 'against' : 'for' }
            })
          ]
    )
  )
}

describe('reliability data from SDF Studio annotations', () => {
  it('makes a unit of each (discussion, comment) and an annotator of each annotator name', () => {
    const data = reliabilityDataFromAnnotations(krippendorffAnnotations(), 'toxicity')
    expect(data.annotators).toEqual(['A', 'B', 'C', 'D'])
    expect(data.units.slice(0, 2)).toEqual(['d1#0', 'd1#1'])
    expect(data.values).toEqual(KRIPPENDORFF_2011.values)
    expect(krippendorffAlpha(data)).toBeCloseTo(0.743, 3)
  })

  it('orders units by discussion and comment index whatever the order of the annotations', () => {
    const data = reliabilityDataFromAnnotations(krippendorffAnnotations().reverse(), 'toxicity')
    expect(data.units).toEqual([...KRIPPENDORFF_2011.units.keys()].map((u) => `${u < 6 ? 'd1' : 'd2'}#${u % 6}`))
  })

  it('leaves out unlinked annotations and missing values', () => {
    const data = reliabilityDataFromAnnotations(
      [
        annotation({ discussion: 'd', comment: 0, annotator: 'x', values: { toxicity: 1 } }),
        annotation({ discussion: 'd', comment: 0, annotator: 'y', values: { toxicity: null } }),
        annotation({ discussion: 'd', comment: null, annotator: 'y', values: { toxicity: 3 } }),
        annotation({ discussion: null, comment: 2, annotator: 'z', values: { toxicity: 3 } }),
        annotation({ discussion: 'd', comment: 1, annotator: 'x', values: { other: 3 } })
      ],
      'toxicity'
    )
    expect(data).toEqual({ units: ['d#0'], annotators: ['x'], values: [[1]] })
  })

  it('refuses two different values from one annotator for one comment unless told which to keep', () => {
    const twice = [
      annotation({ discussion: 'd', comment: 0, annotator: 'x', values: { toxicity: 1 } }),
      annotation({ discussion: 'd', comment: 0, annotator: 'x', values: { toxicity: 4 } })
    ]
    expect(() => reliabilityDataFromAnnotations(twice, 'toxicity')).toThrow(AgreementError)
    expect(() => reliabilityDataFromAnnotations(twice, 'toxicity')).toThrow(/x gave comment 0 of discussion d two values/)
    expect(reliabilityDataFromAnnotations(twice, 'toxicity', { duplicates: 'first' }).values).toEqual([[1]])
    expect(reliabilityDataFromAnnotations(twice, 'toxicity', { duplicates: 'last' }).values).toEqual([[4]])
  })

  it('lists every label that carries a value', () => {
    expect(annotationLabels(krippendorffAnnotations())).toEqual(['stance', 'toxicity'])
  })
})

describe('agreement per label, per discussion and per annotator pair', () => {
  it('computes a coefficient for each label and reports a label the metric cannot read', () => {
    const rows = agreementPerLabel(krippendorffAnnotations(), interval)
    expect(rows.map((row) => row.label)).toEqual(['stance', 'toxicity'])
    const [stance, toxicity] = rows
    expect(stance?.value).toBeNaN()
    expect(stance?.error).toMatch(/not a number/)
    expect(toxicity).toMatchObject({ units: 12, pairableUnits: 11, annotators: 4 })
    expect(toxicity?.value).toBeCloseTo(0.849, 3)
  })

  it('computes a coefficient within each discussion from its own comments', () => {
    const rows = agreementPerDiscussion(krippendorffAnnotations(), 'toxicity', alpha)
    expect(rows.map((row) => row.discussionId)).toEqual(['d1', 'd2'])
    const firstHalf = reliabilityData(KRIPPENDORFF_2011.values.slice(0, 6))
    expect(rows[0]?.value).toBeCloseTo(krippendorffAlpha(firstHalf), 12)
    expect(rows[0]?.units).toBe(6)
  })

  it('gives a symmetric matrix of pairwise coefficients with the shared units of each pair', () => {
    const result = pairwiseAgreement(KRIPPENDORFF_2011, alpha)
    expect(result.annotators).toEqual(['A', 'B', 'C', 'D'])
    expect(result.pairs).toHaveLength(6)
    expect(result.matrix[0]?.[0]).toBeNaN()
    for (let a = 0; a < 4; a++) {
      for (let b = 0; b < 4; b++) if (a !== b) expect(result.matrix[a]?.[b]).toBe(result.matrix[b]?.[a])
    }
    const ab = result.pairs.find((pair) => pair.first === 'A' && pair.second === 'B')
    // A and B both rated units 1–9 and disagreed only on unit 6.
    expect(ab?.sharedUnits).toBe(9)
    expect(ab?.value).toBeCloseTo(
      krippendorffAlpha(reliabilityData(KRIPPENDORFF_2011.values.slice(0, 9).map((row) => [row[0] ?? null, row[1] ?? null]))),
      12
    )
  })
})
