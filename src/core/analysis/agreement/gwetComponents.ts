import type { Weights } from './agreementWeights.js'
import { weightMatrix } from './agreementWeights.js'
import { categoryCounts } from './categoryCounts.js'
import type { RatingValue, ReliabilityData } from './reliabilityData.js'

export interface GwetOptions {
  /** Agreement weights; `identity` (the default) gives the unweighted coefficient. */
  weights?: Weights
  /** The full category scale in rank order, when some categories went unused. */
  categories?: readonly RatingValue[]
}

/** The parts Gwet's multi-rater coefficients share (Gwet 2014; irrCAC `*.raw` functions). */
export interface GwetComponents {
  /** Weighted percent agreement over units rated by two or more annotators; NaN when none is. */
  readonly pa: number
  /** π_k: the mean share of category k among the ratings of each rated unit. */
  readonly pi: readonly number[]
  readonly weights: readonly (readonly number[])[]
  readonly categories: readonly RatingValue[]
}

/**
 * With missing values, percent agreement averages r_ik(r*_ik − 1) / r_i(r_i − 1) over units with
 * r_i ≥ 2 (r*_ik = Σ_l w_kl r_il), while the category shares π_k average over every unit rated at
 * least once: a unit with a single rating tells nothing of agreement but does of prevalence.
 */
export function gwetComponents(data: ReliabilityData, options: GwetOptions = {}): GwetComponents {
  const weighted = options.weights !== undefined && options.weights !== 'identity'
  const { categories, counts, raters } = categoryCounts(data, {
    ordered: weighted,
    ...(options.categories ? { categories: options.categories } : {})
  })
  const weights = weightMatrix(options.weights, categories)
  const q = categories.length
  let agreementSum = 0
  let pairable = 0
  let rated = 0
  const pi = new Array<number>(q).fill(0)
  counts.forEach((row, unit) => {
    const r = raters[unit] ?? 0
    if (r === 0) return
    rated++
    for (let k = 0; k < q; k++) pi[k] = (pi[k] ?? 0) + (row[k] ?? 0) / r
    if (r < 2) return
    pairable++
    let sum = 0
    for (let k = 0; k < q; k++) {
      const rk = row[k] ?? 0
      if (rk === 0) continue
      let weightedCount = 0
      for (let l = 0; l < q; l++) weightedCount += (weights[k]?.[l] ?? 0) * (row[l] ?? 0)
      sum += rk * (weightedCount - 1)
    }
    agreementSum += sum / (r * (r - 1))
  })
  return {
    pa: pairable === 0 ? Number.NaN : agreementSum / pairable,
    pi: pi.map((total) => (rated === 0 ? 0 : total / rated)),
    weights,
    categories
  }
}
