import { uniformInt } from 'pure-rand/distribution/uniformInt'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import { AgreementError } from './agreementError.js'
import type { Coefficient } from './agreementMetric.js'
import type { ReliabilityData } from './reliabilityData.js'
import { selectUnits } from './reliabilityData.js'

export interface BootstrapOptions {
  /** B, the number of resamples (default 1000). */
  replicates?: number
  /** Confidence level of the interval (default 0.95). */
  level?: number
  /** Seed of the xoroshiro128+ generator (default 1): the same seed gives the same interval. */
  seed?: number
}

export interface BootstrapInterval {
  /** The coefficient on the data as given. */
  readonly estimate: number
  readonly lower: number
  readonly upper: number
  readonly level: number
  /** Replicates the interval was read from: B less those where the coefficient was undefined. */
  readonly replicates: number
  /** Replicates dropped because the resample left the coefficient undefined (NaN). */
  readonly discarded: number
}

/**
 * Percentile bootstrap interval of any coefficient, resampling units with replacement (the units
 * are the sample; annotators stay fixed). Quantiles interpolate linearly between order statistics
 * (Hyndman & Fan type 7, numpy's default). Seeded, so a report can be reproduced exactly.
 */
export function bootstrapAgreement(
  data: ReliabilityData,
  coefficient: Coefficient,
  options: BootstrapOptions = {}
): BootstrapInterval {
  const replicates = options.replicates ?? 1000
  const level = options.level ?? 0.95
  if (!Number.isInteger(replicates) || replicates < 1) throw new AgreementError('replicates must be a positive integer')
  if (!(level > 0 && level < 1)) throw new AgreementError('level must be between 0 and 1')
  const estimate = coefficient(data)
  const n = data.units.length
  const rng = xoroshiro128plus(options.seed ?? 1)
  const values: number[] = []
  const indices = new Array<number>(n)
  for (let b = 0; b < replicates; b++) {
    for (let i = 0; i < n; i++) indices[i] = uniformInt(rng, 0, n - 1)
    const value = n === 0 ? Number.NaN : coefficient(selectUnits(data, indices))
    if (Number.isFinite(value)) values.push(value)
  }
  values.sort((a, b) => a - b)
  const tail = (1 - level) / 2
  return {
    estimate,
    lower: quantile(values, tail),
    upper: quantile(values, 1 - tail),
    level,
    replicates: values.length,
    discarded: replicates - values.length
  }
}

/** Type-7 quantile of sorted values; NaN for none. */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const position = (sorted.length - 1) * p
  const below = Math.floor(position)
  const above = Math.ceil(position)
  const low = sorted[below] as number
  const high = sorted[above] as number
  return low + (high - low) * (position - below)
}
