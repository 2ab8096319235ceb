import type { Annotation } from '../../schema/annotation.js'
import { AgreementError } from './agreementError.js'
import type { Coefficient } from './agreementMetric.js'
import type { ReliabilityData } from './reliabilityData.js'
import { pairableUnitCount } from './reliabilityData.js'
import type { AnnotationDataOptions } from './reliabilityDataFromAnnotations.js'
import { annotationLabels, reliabilityDataFromAnnotations } from './reliabilityDataFromAnnotations.js'

/** One coefficient over one slice of the annotations. */
export interface AgreementSummary {
  readonly value: number
  readonly units: number
  readonly pairableUnits: number
  readonly annotators: number
  /** Why the slice could not be measured (e.g. text values for an interval metric); value is NaN. */
  readonly error?: string
}

/** Applies a coefficient, turning a data error into a NaN summary so one bad slice spares the rest. */
export function summariseAgreement(data: ReliabilityData, coefficient: Coefficient): AgreementSummary {
  const base = { units: data.units.length, pairableUnits: pairableUnitCount(data), annotators: data.annotators.length }
  try {
    return { value: coefficient(data), ...base }
  } catch (error) {
    if (!(error instanceof AgreementError)) throw error
    return { value: Number.NaN, ...base, error: error.message }
  }
}

/** The coefficient for each label (all labels that carry a value unless `labels` is given). */
export function agreementPerLabel(
  annotations: readonly Annotation[],
  coefficient: Coefficient,
  options: AnnotationDataOptions & { labels?: readonly string[] } = {}
): Array<AgreementSummary & { label: string }> {
  const labels = options.labels ?? annotationLabels(annotations)
  return labels.map((label) => ({
    label,
    ...summariseAgreement(reliabilityDataFromAnnotations(annotations, label, options), coefficient)
  }))
}

/** The coefficient for one label within each discussion: the comments of one discussion are its units. */
export function agreementPerDiscussion(
  annotations: readonly Annotation[],
  label: string,
  coefficient: Coefficient,
  options: AnnotationDataOptions = {}
): Array<AgreementSummary & { discussionId: string }> {
  const byDiscussion = new Map<string, Annotation[]>()
  for (const annotation of annotations) {
    if (annotation.discussion_id === null || annotation.comment_index === null) continue
    const list = byDiscussion.get(annotation.discussion_id)
    if (list) list.push(annotation)
    else byDiscussion.set(annotation.discussion_id, [annotation])
  }
  return [...byDiscussion.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((discussionId) => ({
      discussionId,
      ...summariseAgreement(
        reliabilityDataFromAnnotations(byDiscussion.get(discussionId) ?? [], label, options),
        coefficient
      )
    }))
}
