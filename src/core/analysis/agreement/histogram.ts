import { AgreementError } from './agreementError.js'

export interface HistogramOptions {
  /** Number of equal-width bins (SDF used 5, one per point of its 1–5 scale). */
  bins?: number
  /**
   * [low, high] of the bins. Defaults to the values' own min and max, as numpy.histogram does;
   * give the scale (e.g. [1, 5]) whenever histograms are compared, so bins mean the same thing.
   */
  range?: readonly [number, number]
}

/**
 * Counts per bin with numpy.histogram's conventions, which nDFU's reference code bins with:
 * bins are half-open [a, b) except the last, which includes `high`; when low = high the range
 * widens to [low − 0.5, high + 0.5]. Values outside an explicit range are refused rather than
 * silently dropped.
 */
export function histogram(values: readonly number[], options: HistogramOptions = {}): number[] {
  const bins = options.bins ?? 5
  if (!Number.isInteger(bins) || bins < 1) throw new AgreementError('bins must be a positive integer')
  const counts = new Array<number>(bins).fill(0)
  if (values.length === 0) return counts
  for (const value of values) if (!Number.isFinite(value)) throw new AgreementError(`${value} is not a finite number`)
  let [low, high] = options.range ?? [Math.min(...values), Math.max(...values)]
  if (!(low <= high)) throw new AgreementError(`histogram range [${low}, ${high}] is empty`)
  if (low === high) {
    low -= 0.5
    high += 0.5
  }
  const width = (high - low) / bins
  for (const value of values) {
    if (value < low || value > high) {
      throw new AgreementError(`${value} lies outside the histogram range [${low}, ${high}]`)
    }
    const bin = value === high ? bins - 1 : Math.min(bins - 1, Math.floor((value - low) / width))
    counts[bin] = (counts[bin] ?? 0) + 1
  }
  return counts
}
