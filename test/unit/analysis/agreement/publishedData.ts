import { AnnotationSchema, reliabilityData, type Annotation, type RatingValue } from '../../../../src/core/index.js'

/**
 * Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section E: 4 observers ×
 * 12 units with missing values, as units × observers. The same matrix is `cac.raw4raters` in
 * Gwet's irrCAC package and the "C" data of the irr/DescTools `kripp.alpha` examples.
 */
export const KRIPPENDORFF_2011 = reliabilityData(
  [
    [1, 1, null, 1],
    [2, 2, 3, 2],
    [3, 3, 3, 3],
    [3, 3, 3, 3],
    [2, 2, 2, 2],
    [1, 2, 3, 4],
    [4, 4, 4, 4],
    [1, 1, 2, 1],
    [2, 2, 2, 2],
    [null, 5, 5, 5],
    [null, null, 1, 1],
    [null, null, 3, null]
  ],
  { annotators: ['A', 'B', 'C', 'D'] }
)

/**
 * Wikipedia, "Krippendorff's alpha", computational example: 3 coders × 15 units, as the
 * pln-fing-udelar/fast-krippendorff tests and sample.py encode it (coder-major there).
 */
const WIKIPEDIA_CODERS: ReadonlyArray<ReadonlyArray<number | null>> = [
  [null, null, null, null, null, 3, 4, 1, 2, 1, 1, 3, 3, null, 3],
  [1, null, 2, 1, 3, 3, 4, 3, null, null, null, null, null, null, null],
  [null, null, 2, 1, 3, 4, 4, null, 2, 1, 1, 3, 3, null, 4]
]
export const WIKIPEDIA_ALPHA = reliabilityData(
  (WIKIPEDIA_CODERS[0] ?? []).map((_, unit) => WIKIPEDIA_CODERS.map((coder) => coder[unit] ?? null))
)

/**
 * Wikipedia, "Fleiss' kappa", worked example (also statsmodels' test_inter_rater `table0`):
 * 10 subjects, 14 raters each, counts per category 1–5.
 */
export const FLEISS_WIKIPEDIA_COUNTS = [
  [0, 0, 0, 0, 14],
  [0, 2, 6, 4, 2],
  [0, 0, 3, 5, 6],
  [0, 3, 9, 2, 0],
  [2, 2, 8, 1, 1],
  [7, 7, 0, 0, 0],
  [3, 2, 6, 3, 0],
  [2, 5, 3, 2, 2],
  [6, 5, 2, 1, 0],
  [0, 2, 2, 3, 7]
]

/**
 * irrCAC `distrib.6raters` (Gwet 2014): 15 psychiatric patients, 6 raters each, counts per
 * category (Depression, Personality Disorder, Schizophrenia, Neurosis, Other).
 */
export const DISTRIB_6_RATERS = [
  [0, 0, 0, 6, 0],
  [0, 3, 0, 0, 3],
  [0, 1, 4, 0, 1],
  [0, 0, 0, 0, 6],
  [0, 3, 0, 3, 0],
  [2, 0, 4, 0, 0],
  [0, 0, 4, 0, 2],
  [2, 0, 3, 1, 0],
  [2, 0, 0, 4, 0],
  [0, 0, 0, 0, 6],
  [1, 0, 0, 5, 0],
  [1, 1, 0, 4, 0],
  [0, 3, 3, 0, 0],
  [1, 0, 0, 5, 0],
  [0, 2, 0, 3, 1]
]

/**
 * Raw ratings from counts per category: who gave which rating is unknown, which does not matter
 * to coefficients that, like Fleiss' kappa and AC1, use only the counts.
 */
export function ratingsFromCounts(counts: readonly (readonly number[])[], categories?: readonly RatingValue[]) {
  return reliabilityData(
    counts.map((row) =>
      row.flatMap((count, k) => Array.from({ length: count }, () => categories?.[k] ?? k + 1))
    )
  )
}

/** irrCAC `cont3x3abstractors`: two abstractors classifying 100 pregnancies (Ectopic, AIU, NIU). */
export const CONT_3X3_ABSTRACTORS = [
  [13, 0, 0],
  [0, 20, 7],
  [0, 4, 56]
]

/** Two raters' raw ratings from a contingency table (rows: first rater, columns: second). */
export function ratingsFromTable(table: readonly (readonly number[])[]) {
  const rows: number[][] = []
  table.forEach((row, k) => row.forEach((count, l) => {
    for (let i = 0; i < count; i++) rows.push([k + 1, l + 1])
  }))
  return reliabilityData(rows)
}

let nextId = 0

/** A linked annotation with the schema's defaults filled in. */
export function annotation(fields: {
  discussion: string | null
  comment: number | null
  annotator: string
  values: Record<string, number | string | boolean | null>
  persona?: Record<string, unknown>
}): Annotation {
  nextId++
  return AnnotationSchema.parse({
    id: `ann-${nextId}`,
    discussion_id: fields.discussion,
    comment_index: fields.comment,
    position: nextId,
    annotator: {
      name: fields.annotator,
      kind: 'llm',
      persona: fields.persona ? { username: fields.annotator, ...fields.persona } : null
    },
    values: fields.values,
    raw_text: JSON.stringify(fields.values),
    parsed: true
  })
}
