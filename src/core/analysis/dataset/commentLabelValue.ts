import type { AnalysisComment, LabelValue } from './analysisDataset.js'

/** A label value as a number: numbers as they are, booleans as 1/0, numeric strings parsed; anything else none. */
export function numericLabelValue(value: LabelValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value === 'boolean') return value ? 1 : 0
  if (typeof value === 'string' && value.trim() !== '') {
    const number = Number(value)
    return Number.isFinite(number) ? number : undefined
  }
  return undefined
}

/**
 * A comment's value for a label: the mean over the annotators who gave one (optionally only the
 * named annotators), so a comment counts once however many annotators rated it. Undefined when no
 * annotator gave a numeric value.
 */
export function commentLabelValue(
  comment: AnalysisComment,
  label: string,
  annotators?: ReadonlySet<string>
): number | undefined {
  let sum = 0
  let count = 0
  for (const rating of comment.ratings) {
    if (annotators && !annotators.has(rating.annotator)) continue
    const value = numericLabelValue(rating.values[label])
    if (value === undefined) continue
    sum += value
    count += 1
  }
  return count === 0 ? undefined : sum / count
}
