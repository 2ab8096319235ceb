// Annotation chips: a label's value as a colour. Numbers on one sequential scale per label (low =
// pale blue, high = deep orange: readable for the common colour-vision deficiencies); categories
// get stable colours from a fixed palette by their text.

export interface ChipColor {
  readonly background: string
  readonly text: string
}

export interface ValueRange {
  readonly min: number
  readonly max: number
}

const LOW = [214, 60, 88] as const // hsl of the lowest value
const HIGH = [28, 85, 45] as const // hsl of the highest value
const CATEGORY_HUES = [210, 140, 280, 40, 330, 180, 90, 0] as const

/** The range of every numeric value of each label, for scaling chips within a discussion or a workspace. */
export function labelRanges(values: readonly Record<string, unknown>[]): Record<string, ValueRange> {
  const ranges: Record<string, { min: number; max: number }> = {}
  for (const record of values) {
    for (const [label, value] of Object.entries(record)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) continue
      const range = ranges[label]
      if (range === undefined) ranges[label] = { min: value, max: value }
      else {
        range.min = Math.min(range.min, value)
        range.max = Math.max(range.max, value)
      }
    }
  }
  return ranges
}

/** Where a value lies in its range, 0…1 (0.5 when the range is a single point). */
export function positionIn(value: number, range: ValueRange | undefined): number {
  if (range === undefined || range.max <= range.min) return 0.5
  return Math.min(1, Math.max(0, (value - range.min) / (range.max - range.min)))
}

function hsl(h: number, s: number, l: number): string {
  return `hsl(${Math.round(h)} ${Math.round(s)}% ${Math.round(l)}%)`
}

/** The chip colour of a label value; null and unparsed values are grey. */
export function chipColor(value: unknown, range?: ValueRange): ChipColor {
  if (value === null || value === undefined || value === '') return { background: hsl(0, 0, 85), text: hsl(0, 0, 20) }
  if (typeof value === 'number') {
    const t = positionIn(value, range)
    const h = LOW[0] + (HIGH[0] - LOW[0] + (HIGH[0] < LOW[0] ? 360 : 0)) * t
    const l = LOW[2] + (HIGH[2] - LOW[2]) * t
    return { background: hsl(h % 360, LOW[1] + (HIGH[1] - LOW[1]) * t, l), text: l < 60 ? '#fff' : hsl(0, 0, 12) }
  }
  const text = String(value)
  let hash = 0
  for (let i = 0; i < text.length; i += 1) hash = (hash * 31 + text.charCodeAt(i)) >>> 0
  const hue = CATEGORY_HUES[hash % CATEGORY_HUES.length] ?? 210
  return { background: hsl(hue, 55, 82), text: hsl(hue, 60, 18) }
}
