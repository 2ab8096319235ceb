import * as Plot from '@observablehq/plot'
import type { MatrixRow, TurnRow } from '../../results/chartRows.js'

// Observable Plot specs of the analysis charts; each draws exactly the rows its CSV exports.

const withBand = (row: { lo: number | null; hi: number | null }) => row.lo !== null && row.hi !== null

/** Whole turns as ticks: Plot's own ticks fall on halves for short discussions, and 'd' prints them twice. */
function turnTicks(rows: readonly TurnRow[]): number[] | undefined {
  const turns = [...new Set(rows.map((row) => row.turn))].sort((a, b) => a - b)
  if (turns.length <= 16) return turns
  const step = Math.ceil(turns.length / 16)
  return turns.filter((_, index) => index % step === 0)
}

/** A flat series (every mean the same) gets a unit of room, else Plot draws one value as a whole axis of decimals. */
function valueDomain(rows: readonly TurnRow[]): [number, number] | undefined {
  const values = rows.flatMap((row) => [row.mean, row.lo, row.hi]).filter((value): value is number => value !== null && Number.isFinite(value))
  if (values.length === 0) return undefined
  const low = Math.min(...values)
  const high = Math.max(...values)
  return low === high ? [low - 1, high + 1] : undefined
}

export function drawLabelByTurn(rows: readonly TurnRow[], label: string, xLabel: string) {
  return (width: number) =>
    Plot.plot({
      width,
      height: 320,
      marginLeft: 48,
      color: { legend: true },
      x: { label: xLabel, ticks: turnTicks(rows), tickFormat: 'd' },
      y: { label: `${label} (mean, 95% CI)`, grid: true, domain: valueDomain(rows) },
      marks: [
        Plot.areaY(rows.filter(withBand), { x: 'turn', y1: 'lo', y2: 'hi', fill: 'group', fillOpacity: 0.15 }),
        Plot.lineY(rows, { x: 'turn', y: 'mean', stroke: 'group', strokeWidth: 2 }),
        Plot.dot(rows, { x: 'turn', y: 'mean', fill: 'group', r: 2.5, tip: true, title: (row: TurnRow) => `${row.group}\nturn ${row.turn}: ${row.mean.toFixed(2)} (n=${row.n})` })
      ]
    })
}

export interface BarRow {
  readonly group: string
  readonly mean: number
  readonly lo: number | null
  readonly hi: number | null
  readonly n: number
}

export function drawBars(rows: readonly BarRow[], yLabel: string, percent = false) {
  return (width: number) =>
    Plot.plot({
      width: Math.min(width, 160 + rows.length * 90),
      height: 280,
      marginLeft: 52,
      marginBottom: 48,
      marginTop: 28,
      x: { label: null, tickRotate: rows.length > 5 ? -20 : 0, tickFormat: (group: string) => `${group} (n=${rows.find((row) => row.group === group)?.n ?? 0})` },
      y: { label: yLabel, grid: true, percent, zero: true },
      marks: [
        Plot.barY(rows, { x: 'group', y: 'mean', fill: 'group', fillOpacity: 0.8 }),
        Plot.ruleX(rows.filter(withBand), { x: 'group', y1: 'lo', y2: 'hi', strokeWidth: 2 }),
        Plot.ruleY([0])
      ]
    })
}

/** Annotator names can be long ("Toxicity and argument quality 1-5 (example)"): the axes show their start. */
function shortName(name: string): string {
  return name.length > 22 ? `${name.slice(0, 21)}…` : name
}

export function drawMatrix(rows: readonly MatrixRow[], metric: string) {
  return (width: number) =>
    Plot.plot({
      width: Math.min(width, 520),
      height: 80 + 44 * Math.max(2, Math.sqrt(rows.length + 1)),
      marginLeft: 150,
      marginBottom: 90,
      padding: 0.05,
      x: { label: null, tickRotate: -30, tickFormat: shortName },
      y: { label: null, tickFormat: shortName },
      color: { type: 'linear', domain: [0, 1], scheme: 'blues', legend: true, label: metric },
      marks: [
        Plot.cell(rows, { x: 'b', y: 'a', fill: (row: MatrixRow) => row.value ?? Number.NaN, inset: 0.5 }),
        Plot.text(rows, {
          x: 'b',
          y: 'a',
          text: (row: MatrixRow) => (row.value === null ? '—' : row.value.toFixed(2)),
          // Undefined pairs have no cell: their dash takes the page's text colour.
          fill: (row: MatrixRow) => (row.value === null ? 'currentColor' : row.value > 0.6 ? 'white' : 'black')
        })
      ]
    })
}
