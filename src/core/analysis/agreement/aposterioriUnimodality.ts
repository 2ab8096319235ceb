import type { Annotation } from '../../schema/annotation.js'
import type { PersonaSnapshot } from '../../schema/persona.js'
import { AgreementError } from './agreementError.js'
import type { HistogramOptions } from './histogram.js'
import { histogram } from './histogram.js'
import { ndfu } from './ndfu.js'
import { annotationUnitId } from './reliabilityDataFromAnnotations.js'

/** SDF's sweep of tolerances: numpy.linspace(1, 1e-5, 6) (spec §4.1). */
export const DEFAULT_TOLERANCES: readonly number[] = Array.from({ length: 6 }, (_, i) => 1 + (i * (1e-5 - 1)) / 5)

/** An annotator feature (gender, age group…) of an annotation; null leaves the annotation out. */
export type AnnotatorFeature = (annotation: Annotation) => string | null

/**
 * nDFU of all of a comment's annotations minus the nDFU of each feature group, maximised over the
 * groups (dimits-ts/annotation_agreement `aposteriori_unit`). Positive when splitting annotators by
 * the feature leaves some group less polarised than the whole: the feature accounts for some of
 * the disagreement. Every histogram uses the same bins, so pass `range` when values vary by comment.
 */
export function aposterioriUnit(groups: readonly (readonly number[])[], options: HistogramOptions = {}): number {
  const present = groups.filter((group) => group.length > 0)
  if (present.length === 0) throw new AgreementError('a comment needs at least one annotated group')
  const all = present.flat()
  const shared: HistogramOptions = {
    bins: options.bins ?? 5,
    range: options.range ?? [Math.min(...all), Math.max(...all)]
  }
  const whole = ndfu(histogram(all, shared))
  return Math.max(...present.map((group) => whole - ndfu(histogram(group, shared))))
}

/**
 * `a > b` by more than `tolerance` (the original's `a > b and not math.isclose(a, b, abs_tol=tol)`,
 * whose relative tolerance of 1e-9 is kept so results match it at tolerance 0).
 */
export function isSignificantlyBigger(a: number, b: number, tolerance: number): boolean {
  const close = Math.abs(a - b) <= Math.max(1e-9 * Math.max(Math.abs(a), Math.abs(b)), tolerance)
  return a > b && !close
}

export interface PolarisationExplained {
  readonly tolerance: number
  /** Comments whose aposteriori unit exceeds the tolerance. */
  readonly explained: number
  readonly comments: number
  /** explained / comments: the share of comments whose disagreement the feature explains. */
  readonly share: number
}

export interface AposterioriOptions extends HistogramOptions {
  tolerances?: readonly number[]
}

export interface AposterioriResult {
  /** One row per tolerance, in the order given. */
  readonly byTolerance: readonly PolarisationExplained[]
  /** Per comment: its unit id, the nDFU of all its annotations, and its aposteriori unit. */
  readonly comments: ReadonlyArray<{ unit: string; ndfu: number; aposteriori: number; annotations: number }>
}

/**
 * "Aposteriori unimodality" attribution of disagreement to an annotator feature (spec §4.1; the
 * Nov–Dec 2024 `aposteriori.py` of dimits-ts/annotation_agreement): for every annotated comment,
 * group its annotations of `label` by the feature and take the aposteriori unit; the feature
 * explains the comment's polarisation when the unit is significantly above 0. The share of
 * comments explained is reported for each tolerance (the original returned 1 − share and called
 * it a p-value).
 *
 * Deviation, deliberately: the original passed raw ratings to `ndfu` as if they were a histogram;
 * here ratings are binned first (`bins`, default 5, over `range`, default the label's min and max
 * over all the annotations given), as nDFU is defined. Annotations whose feature is null, and
 * unlinked ones, are left out; values must be numbers.
 */
export function aposterioriUnimodality(
  annotations: readonly Annotation[],
  label: string,
  feature: AnnotatorFeature,
  options: AposterioriOptions = {}
): AposterioriResult {
  const comments = new Map<string, Map<string, number[]>>()
  let low = Number.POSITIVE_INFINITY
  let high = Number.NEGATIVE_INFINITY
  for (const annotation of annotations) {
    if (annotation.discussion_id === null || annotation.comment_index === null) continue
    const value = annotation.values[label]
    if (value === undefined || value === null) continue
    if (typeof value !== 'number') {
      throw new AgreementError(`${label} of ${annotation.annotator.name} is ${JSON.stringify(value)}, not a number`)
    }
    const group = feature(annotation)
    if (group === null) continue
    low = Math.min(low, value)
    high = Math.max(high, value)
    const unit = annotationUnitId(annotation.discussion_id, annotation.comment_index)
    let groups = comments.get(unit)
    if (!groups) comments.set(unit, (groups = new Map()))
    const list = groups.get(group)
    if (list) list.push(value)
    else groups.set(group, [value])
  }
  const histogramOptions: HistogramOptions = { bins: options.bins ?? 5, range: options.range ?? [low, high] }
  const perComment = [...comments.entries()].map(([unit, groups]) => {
    const all = [...groups.values()].flat()
    return {
      unit,
      ndfu: ndfu(histogram(all, histogramOptions)),
      aposteriori: aposterioriUnit([...groups.values()], histogramOptions),
      annotations: all.length
    }
  })
  const byTolerance = (options.tolerances ?? DEFAULT_TOLERANCES).map((tolerance) => {
    const explained = perComment.filter((comment) => isSignificantlyBigger(comment.aposteriori, 0, tolerance)).length
    return {
      tolerance,
      explained,
      comments: perComment.length,
      share: perComment.length === 0 ? Number.NaN : explained / perComment.length
    }
  })
  return { byTolerance, comments: perComment }
}

/**
 * A feature read from the annotator's persona: an SDF persona field (`sex`, `age`,
 * `education_level`…) or an extra attribute. Lists become their sorted items joined by ", ".
 */
export function personaFeature(field: string): AnnotatorFeature {
  return (annotation) => {
    const persona: PersonaSnapshot | null = annotation.annotator.persona
    if (!persona) return null
    const known = (persona as Record<string, unknown>)[field]
    const value = known !== undefined && field !== 'extra_attributes' ? known : persona.extra_attributes[field]
    if (value === undefined || value === null || value === '') return null
    if (Array.isArray(value)) return [...value].map(String).sort().join(', ')
    return String(value)
  }
}
