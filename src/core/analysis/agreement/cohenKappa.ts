import { AgreementError } from './agreementError.js'
import type { Weights } from './agreementWeights.js'
import { weightMatrix } from './agreementWeights.js'
import type { RatingValue, ReliabilityData } from './reliabilityData.js'
import { selectUnits } from './reliabilityData.js'
import { distinctValues, valueKey } from './valueDomain.js'

export interface CohenKappaOptions {
  /** `identity` (default) for Cohen's kappa; `linear` or `quadratic` for weighted kappa. */
  weights?: Weights
  /** The full category scale in rank order, when some categories went unused. */
  categories?: readonly RatingValue[]
}

/**
 * Cohen's (1960) kappa between exactly two annotators, over the units both rated; with weights,
 * Cohen's (1968) weighted kappa written with agreement weights (1 on the diagonal).
 * NaN when the two share no unit or chance agreement is 1 (a single category).
 */
export function cohenKappa(data: ReliabilityData, options: CohenKappaOptions = {}): number {
  if (data.annotators.length !== 2) {
    throw new AgreementError(`Cohen's kappa compares exactly 2 annotators, not ${data.annotators.length}`)
  }
  const shared = data.values.flatMap((row, unit) => (row[0] != null && row[1] != null ? [unit] : []))
  const both = selectUnits(data, shared)
  const weighted = options.weights !== undefined && options.weights !== 'identity'
  const categories = options.categories ? [...options.categories] : distinctValues(both, { ordered: weighted })
  const index = new Map(categories.map((value, position) => [valueKey(value), position]))
  const table = categories.map(() => new Array<number>(categories.length).fill(0))
  both.values.forEach((row, unit) => {
    const [first, second] = row.map((value) => (value === null ? undefined : index.get(valueKey(value))))
    if (first === undefined || second === undefined) {
      throw new AgreementError(`unit ${both.units[unit]}: a value is not one of the categories`)
    }
    ;(table[first] as number[])[second] = (table[first]?.[second] ?? 0) + 1
  })
  return kappaFromTable(table, weightMatrix(options.weights, categories))
}

/**
 * Cohen's kappa from a q × q contingency table (rows: first annotator, columns: second), as
 * published examples give it. Weight kinds treat the categories as 1…q.
 */
export function cohenKappaFromTable(table: readonly (readonly number[])[], options: { weights?: Weights } = {}): number {
  const q = table.length
  if (table.some((row) => row.length !== q)) throw new AgreementError('a contingency table must be square')
  const categories = Array.from({ length: q }, (_, index) => index + 1)
  return kappaFromTable(table, weightMatrix(options.weights, categories))
}

function kappaFromTable(table: readonly (readonly number[])[], weights: readonly (readonly number[])[]): number {
  const q = table.length
  const total = table.reduce((sum, row) => sum + row.reduce((rowSum, count) => rowSum + count, 0), 0)
  if (total === 0) return Number.NaN
  const rows = table.map((row) => row.reduce((sum, count) => sum + count, 0) / total)
  const columns = Array.from({ length: q }, (_, l) => table.reduce((sum, row) => sum + (row[l] ?? 0), 0) / total)
  let observed = 0
  let expected = 0
  for (let k = 0; k < q; k++) {
    for (let l = 0; l < q; l++) {
      const w = weights[k]?.[l] ?? 0
      observed += (w * (table[k]?.[l] ?? 0)) / total
      expected += w * (rows[k] ?? 0) * (columns[l] ?? 0)
    }
  }
  if (expected >= 1) return Number.NaN
  return (observed - expected) / (1 - expected)
}
