import { describe, expect, it } from 'vitest'
import { formatP, matrixRows, seriesRows } from '../../../../src/renderer/src/results/chartRows.js'

describe('chart rows', () => {
  it('flattens series into one row per group and turn', () => {
    expect(seriesRows([{ group: 'a', points: [{ turn: 0, mean: 1, lo: 0.5, hi: 1.5, n: 4, sd: 0.3 }] }, { group: 'b', points: [] }])).toEqual([
      { group: 'a', turn: 0, mean: 1, lo: 0.5, hi: 1.5, n: 4 }
    ])
  })

  it('turns the agreement matrix into long rows without the diagonal', () => {
    expect(matrixRows(['x', 'y'], [[null, 0.8], [0.8, null]], [[0, 12], [12, 0]])).toEqual([
      { a: 'x', b: 'y', value: 0.8, shared: 12 },
      { a: 'y', b: 'x', value: 0.8, shared: 12 }
    ])
  })

  it('prints p values as papers do', () => {
    expect(formatP(0.0004)).toBe('p < .001')
    expect(formatP(0.0312)).toBe('p = .031')
    expect(formatP(null)).toBe('—')
  })
})
