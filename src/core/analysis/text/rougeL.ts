import { lcsLengthTable } from './lcsLength.js'
import { rougeTokens } from './rougeTokens.js'

export interface RougeLScore {
  precision: number
  recall: number
  fmeasure: number
}

/**
 * ROUGE-L of a candidate against a reference (Lin 2004): LCS over lowercase word tokens,
 * precision = LCS/|candidate|, recall = LCS/|reference|, F1 their harmonic mean. Matches
 * `rouge_score.RougeScorer(["rougeL"]).score(reference, candidate)` on ASCII text; 0 when either
 * side has no tokens, as there.
 */
export function rougeL(reference: string, candidate: string): RougeLScore {
  const ref = rougeTokens(reference)
  const cand = rougeTokens(candidate)
  if (ref.length === 0 || cand.length === 0) return { precision: 0, recall: 0, fmeasure: 0 }
  const lcs = lcsLengthTable(ref, cand)
  const precision = lcs / cand.length
  const recall = lcs / ref.length
  return { precision, recall, fmeasure: lcs === 0 ? 0 : (2 * precision * recall) / (precision + recall) }
}
