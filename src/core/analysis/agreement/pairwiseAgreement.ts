import type { Coefficient } from './agreementMetric.js'
import type { ReliabilityData } from './reliabilityData.js'
import { pairableUnitCount, selectAnnotators } from './reliabilityData.js'

export interface AnnotatorPair {
  readonly first: string
  readonly second: string
  /** The coefficient on the two annotators' columns alone; NaN where undefined. */
  readonly value: number
  /** Units both of them rated. */
  readonly sharedUnits: number
}

export interface PairwiseAgreement {
  readonly annotators: readonly string[]
  /** Symmetric; the diagonal is NaN because an annotator compared with itself says nothing. */
  readonly matrix: readonly (readonly number[])[]
  readonly pairs: readonly AnnotatorPair[]
}

/** The coefficient for every pair of annotators: which annotator disagrees with whom. */
export function pairwiseAgreement(data: ReliabilityData, coefficient: Coefficient): PairwiseAgreement {
  const names = data.annotators
  const matrix = names.map(() => names.map(() => Number.NaN))
  const pairs: AnnotatorPair[] = []
  for (let a = 0; a < names.length; a++) {
    for (let b = a + 1; b < names.length; b++) {
      const first = names[a] as string
      const second = names[b] as string
      const pair = selectAnnotators(data, [first, second])
      const value = coefficient(pair)
      ;(matrix[a] as number[])[b] = value
      ;(matrix[b] as number[])[a] = value
      pairs.push({ first, second, value, sharedUnits: pairableUnitCount(pair) })
    }
  }
  return { annotators: names, matrix, pairs }
}
