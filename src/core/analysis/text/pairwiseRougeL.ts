import { lcsLength, lcsMasks, type LcsMasks } from './lcsLength.js'
import { rougeTokens } from './rougeTokens.js'

export interface PairwiseRougeL {
  /** Mean ROUGE-L F1 over all unordered pairs; null with fewer than two texts. */
  mean_f1: number | null
  pairs: number
}

/**
 * Mean ROUGE-L F1 over every pair of texts (F1 is symmetric, so each pair counts once, as
 * `itertools.combinations` did in SDF's evaluation). Tokens become small integers once per text
 * and each text's LCS masks are built once, so n texts cost n mask builds and n(n − 1)/2
 * bit-parallel passes.
 */
export function pairwiseRougeL(texts: readonly string[]): PairwiseRougeL {
  if (texts.length < 2) return { mean_f1: null, pairs: 0 }
  const ids = new Map<string, number>()
  const sequences = texts.map((text) => {
    const tokens = rougeTokens(text)
    const sequence = new Int32Array(tokens.length)
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!
      let id = ids.get(token)
      if (id === undefined) ids.set(token, (id = ids.size))
      sequence[i] = id
    }
    return sequence
  })
  let sum = 0
  let pairs = 0
  let masks: LcsMasks | undefined
  for (let i = 0; i < sequences.length; i++) {
    // One text's masks at a time, in the same arrays: memory stays O(vocabulary) however long the discussion.
    masks = lcsMasks(sequences[i]!, ids.size, masks)
    for (let j = i + 1; j < sequences.length; j++) {
      const total = sequences[i]!.length + sequences[j]!.length
      // F1 = 2·LCS / (|a| + |b|): the harmonic mean of LCS/|a| and LCS/|b|.
      if (sequences[i]!.length > 0 && sequences[j]!.length > 0) sum += (2 * lcsLength(masks, sequences[j]!)) / total
      pairs += 1
    }
  }
  return { mean_f1: sum / pairs, pairs }
}
