// Chart-ready rows: what a chart draws is exactly what its CSV holds, so both come from here.

export interface SeriesPoint {
  readonly turn: number
  readonly mean: number
  readonly lo: number | null
  readonly hi: number | null
  readonly n: number
  readonly sd?: number | null
}

export interface TurnRow {
  readonly group: string
  readonly turn: number
  readonly mean: number
  readonly lo: number | null
  readonly hi: number | null
  readonly n: number
}

/** One row per (group, turn), groups in the order given. */
export function seriesRows(series: readonly { group: string; points: readonly SeriesPoint[] }[]): TurnRow[] {
  return series.flatMap(({ group, points }) => points.map((point) => ({ group, turn: point.turn, mean: point.mean, lo: point.lo, hi: point.hi, n: point.n })))
}

export interface MatrixRow {
  readonly a: string
  readonly b: string
  readonly value: number | null
  readonly shared: number
}

/** The agreement matrix as long rows (every ordered pair, the diagonal left out). */
export function matrixRows(annotators: readonly string[], matrix: readonly (readonly (number | null)[])[], shared: readonly (readonly number[])[]): MatrixRow[] {
  const rows: MatrixRow[] = []
  annotators.forEach((a, i) =>
    annotators.forEach((b, j) => {
      if (i !== j) rows.push({ a, b, value: matrix[i]?.[j] ?? null, shared: shared[i]?.[j] ?? 0 })
    })
  )
  return rows
}

/** A p value as papers print it. */
export function formatP(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return '—'
  if (p < 0.001) return 'p < .001'
  return `p = ${p.toFixed(3).replace(/^0/, '')}`
}

export function formatNumber(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits)
}
