export interface Ranking {
  /** 1-based ranks in input order; tied values share the mean of the ranks they span. */
  ranks: number[]
  /** Size of every group of tied values (1 for untied values). */
  tieSizes: number[]
}

/** Average ranks, as scipy's `rankdata(method="average")`. */
export function rankWithTies(values: readonly number[]): Ranking {
  const order = values.map((_, index) => index).sort((a, b) => values[a]! - values[b]!)
  const ranks = new Array<number>(values.length)
  const tieSizes: number[] = []
  let start = 0
  while (start < order.length) {
    let end = start
    while (end + 1 < order.length && values[order[end + 1]!] === values[order[start]!]) end += 1
    const rank = (start + end) / 2 + 1
    for (let i = start; i <= end; i++) ranks[order[i]!] = rank
    tieSizes.push(end - start + 1)
    start = end + 1
  }
  return { ranks, tieSizes }
}

/** Σ (t³ − t) over tie groups: the quantity every tie correction is built from. */
export function tieTerm(tieSizes: readonly number[]): number {
  let sum = 0
  for (const t of tieSizes) sum += t * t * t - t
  return sum
}
