import type { Annotation } from '../../schema/annotation.js'
import { AgreementError } from './agreementError.js'
import type { RatingValue, ReliabilityData } from './reliabilityData.js'
import { valueKey } from './valueDomain.js'

export interface AnnotationDataOptions {
  /**
   * What to do when one annotator gave one comment two different values for the label (say, an
   * annotation run repeated): refuse (`error`, the default), or keep the `first` or `last` in the
   * order given. Repeats of the same value are always accepted.
   */
  duplicates?: 'error' | 'first' | 'last'
}

/** The unit id of an annotated comment: discussion and comment index. */
export function annotationUnitId(discussionId: string, commentIndex: number): string {
  return `${discussionId}#${commentIndex}`
}

/**
 * Reliability data for one label: a unit per annotated comment (discussion_id, comment_index),
 * an annotator per `annotator.name`, the value `values[label]`. Unlinked annotations (no
 * discussion or comment index yet) cannot be matched across annotators and are left out, as are
 * comments and annotators with no value for the label. Units sort by discussion then comment
 * index, annotators by name, so the same annotations always give the same matrix.
 */
export function reliabilityDataFromAnnotations(
  annotations: readonly Annotation[],
  label: string,
  options: AnnotationDataOptions = {}
): ReliabilityData {
  const duplicates = options.duplicates ?? 'error'
  const units = new Map<string, { discussion: string; comment: number }>()
  const cells = new Map<string, Map<string, RatingValue>>()
  for (const annotation of annotations) {
    const { discussion_id: discussion, comment_index: comment } = annotation
    if (discussion === null || comment === null) continue
    const value = annotation.values[label]
    if (value === undefined || value === null) continue
    const unit = annotationUnitId(discussion, comment)
    const annotator = annotation.annotator.name
    units.set(unit, { discussion, comment })
    let row = cells.get(unit)
    if (!row) cells.set(unit, (row = new Map()))
    const earlier = row.get(annotator)
    if (earlier !== undefined && valueKey(earlier) !== valueKey(value)) {
      if (duplicates === 'error') {
        throw new AgreementError(
          `${annotator} gave comment ${comment} of discussion ${discussion} two values for ${label}: ` +
            `${JSON.stringify(earlier)} and ${JSON.stringify(value)}`
        )
      }
      if (duplicates === 'first') continue
    }
    row.set(annotator, value)
  }
  const unitIds = [...units.entries()]
    .sort(([, a], [, b]) => compareText(a.discussion, b.discussion) || a.comment - b.comment)
    .map(([id]) => id)
  const annotators = [...new Set([...cells.values()].flatMap((row) => [...row.keys()]))].sort(compareText)
  return {
    units: unitIds,
    annotators,
    values: unitIds.map((unit) => annotators.map((annotator) => cells.get(unit)?.get(annotator) ?? null))
  }
}

/** Every label that some annotation gives a value for, sorted. */
export function annotationLabels(annotations: readonly Annotation[]): string[] {
  const labels = new Set<string>()
  for (const annotation of annotations) {
    for (const [label, value] of Object.entries(annotation.values)) if (value !== null) labels.add(label)
  }
  return [...labels].sort(compareText)
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
