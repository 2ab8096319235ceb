import { describe, expect, it } from 'vitest'
import { isComplete, keyChoices, readLabels, valueForKey } from '../../../../src/renderer/src/results/humanKeys.js'

const [toxicity, stance, civil, wide, why] = readLabels([
  { name: 'toxicity', type: 'integer', min: 1, max: 5 },
  { name: 'stance', type: 'category', options: ['pro', 'con', 'neutral'] },
  { name: 'civil', type: 'boolean' },
  { name: 'score', type: 'integer', min: -2, max: 2 },
  { name: 'why', type: 'text' }
])

describe('number keys in the blind annotation mode', () => {
  it('set a 1–5 scale to the digit pressed', () => {
    expect(valueForKey(toxicity!, '3')).toBe(3)
    expect(valueForKey(toxicity!, '7')).toBeUndefined()
    expect(valueForKey(toxicity!, '0')).toBeUndefined()
  })

  it('choose the n-th option of a category and yes/no with 1/0', () => {
    expect(valueForKey(stance!, '2')).toBe('con')
    expect(valueForKey(civil!, '1')).toBe(true)
    expect(valueForKey(civil!, '0')).toBe(false)
  })

  it('number a scale with negative values from 1', () => {
    expect(keyChoices(wide!).map((choice) => [choice.key, choice.value])).toEqual([
      ['1', -2],
      ['2', -1],
      ['3', 0],
      ['4', 1],
      ['5', 2]
    ])
  })

  it('do nothing for text labels, which are optional for saving', () => {
    expect(keyChoices(why!)).toEqual([])
    expect(isComplete([toxicity!, why!], { toxicity: 2 })).toBe(true)
    expect(isComplete([toxicity!, stance!], { toxicity: 2 })).toBe(false)
  })

  it('leave out labels of an unknown type', () => {
    expect(readLabels([{ name: 'x', type: 'vector' }])).toEqual([])
  })
})
