import { AgreementError } from './agreementError.js'

/**
 * The normalised Distance From Unimodality of a histogram (Pavlopoulos & Likas, "Polarized
 * opinion detection improves the detection of toxic language", EACL 2024; reference code
 * ipavlopoulos/ndfu `dfu`): walking away from the (first) highest bin, the largest rise between
 * neighbouring bins, divided by the highest bin. 0 for a unimodal histogram (consensus or plain
 * spread), 1 for two equal poles with nothing between them, e.g. [5, 0, 0, 0, 5].
 *
 * Counts or relative frequencies give the same value. Throws on an empty or all-zero histogram,
 * which has no mode.
 */
export function ndfu(histogram: readonly number[], options: { normalised?: boolean } = {}): number {
  if (histogram.length === 0) throw new AgreementError('nDFU needs a non-empty histogram')
  for (const count of histogram) {
    if (!Number.isFinite(count) || count < 0) throw new AgreementError('histogram counts must be finite and non-negative')
  }
  const highest = Math.max(...histogram)
  if (highest === 0) throw new AgreementError('nDFU needs a histogram with at least one positive count')
  const mode = histogram.indexOf(highest)
  let rise = 0
  for (let i = mode; i < histogram.length - 1; i++) rise = Math.max(rise, (histogram[i + 1] ?? 0) - (histogram[i] ?? 0))
  for (let i = mode; i > 0; i--) rise = Math.max(rise, (histogram[i - 1] ?? 0) - (histogram[i] ?? 0))
  return options.normalised === false ? rise : rise / highest
}
