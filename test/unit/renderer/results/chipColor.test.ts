import { describe, expect, it } from 'vitest'
import { chipColor, labelRanges, positionIn } from '../../../../src/renderer/src/results/chipColor.js'

describe('annotation chip colours', () => {
  it('finds each numeric label’s range across annotations, ignoring non-numbers', () => {
    expect(labelRanges([{ toxicity: 1, stance: 'pro' }, { toxicity: 5 }, { toxicity: 3, civil: true }])).toEqual({ toxicity: { min: 1, max: 5 } })
  })

  it('places a value in its range, clamped, and in the middle of a one-point range', () => {
    expect(positionIn(3, { min: 1, max: 5 })).toBe(0.5)
    expect(positionIn(9, { min: 1, max: 5 })).toBe(1)
    expect(positionIn(2, { min: 2, max: 2 })).toBe(0.5)
    expect(positionIn(2, undefined)).toBe(0.5)
  })

  it('gives the lowest and highest values different colours and dark text on pale chips', () => {
    const low = chipColor(1, { min: 1, max: 5 })
    const high = chipColor(5, { min: 1, max: 5 })
    expect(low.background).not.toBe(high.background)
    expect(low.text).not.toBe('#fff')
    expect(high.text).toBe('#fff')
  })

  it('gives a category the same colour every time, and missing values grey', () => {
    expect(chipColor('pro')).toEqual(chipColor('pro'))
    expect(chipColor(null).background).toBe('hsl(0 0% 85%)')
  })
})
