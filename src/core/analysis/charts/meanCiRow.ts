import { z } from 'zod'
import type { NamedSample } from '../stats/namedSample.js'
import { summarizeSample } from '../stats/summarizeSample.js'

/** One point (or bar) of a chart: the mean of `n` values with its t-based confidence interval. */
export const MeanCiRowSchema = z.object({
  /** The x position (turn, minute, …); null for bar charts of groups. */
  x: z.number().nullable(),
  group: z.string(),
  mean: z.number(),
  sd: z.number().nullable(),
  /** Null when n < 2: one value has no interval. */
  ci_low: z.number().nullable(),
  ci_high: z.number().nullable(),
  n: z.number().int().positive()
})
export type MeanCiRow = z.infer<typeof MeanCiRowSchema>

export interface ChartPoint {
  x: number | null
  group: string
  value: number
}

/**
 * Collects values by (group, x) and summarises each cell. Rows come sorted by group, then x, so
 * a line chart can draw them as they are.
 */
export class MeanCiAccumulator {
  private readonly cells = new Map<string, { x: number | null; group: string; values: number[] }>()

  add(x: number | null, group: string, value: number): void {
    const key = `${group}\u0000${x ?? ''}`
    let cell = this.cells.get(key)
    if (!cell) this.cells.set(key, (cell = { x, group, values: [] }))
    cell.values.push(value)
  }

  rows(confidence = 0.95): MeanCiRow[] {
    return [...this.cells.values()]
      .sort((a, b) => compareText(a.group, b.group) || (a.x ?? -Infinity) - (b.x ?? -Infinity))
      .map(({ x, group, values }) => ({ x, group, ...summarizeSample(values, confidence)! }))
  }

  /** The values of each group, x ignored: the input of `compareGroups`. */
  samples(): NamedSample[] {
    const byGroup = new Map<string, number[]>()
    for (const cell of this.cells.values()) {
      const values = byGroup.get(cell.group) ?? []
      for (const value of cell.values) values.push(value)
      byGroup.set(cell.group, values)
    }
    return [...byGroup.entries()].sort(([a], [b]) => compareText(a, b)).map(([group, values]) => ({ group, values }))
  }
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
