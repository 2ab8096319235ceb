import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SeededRandom, seededUuid4 } from '../../../src/core/index.js'

const draws = (random: SeededRandom, count: number): number[] => Array.from({ length: count }, () => random.int(0, 1_000_000))

describe('SeededRandom', () => {
  it('gives the same draws for the same seed and different draws for another seed', () => {
    expect(draws(SeededRandom.fromSeed(7), 20)).toEqual(draws(SeededRandom.fromSeed(7), 20))
    expect(draws(SeededRandom.fromSeed(7), 20)).not.toEqual(draws(SeededRandom.fromSeed(8), 20))
  })

  it('forks child streams that do not depend on how much the parent has drawn', () => {
    const fresh = SeededRandom.fromSeed(3)
    const used = SeededRandom.fromSeed(3)
    draws(used, 100)
    expect(draws(used.fork('personas'), 10)).toEqual(draws(fresh.fork('personas'), 10))
    expect(draws(fresh.fork('personas'), 10)).not.toEqual(draws(fresh.fork('topics'), 10))
    expect(draws(fresh.fork('a').fork('b'), 5)).not.toEqual(draws(fresh.fork('a/b'), 5))
  })

  it('rejects seeds that cannot be recorded faithfully', () => {
    expect(() => SeededRandom.fromSeed(-1)).toThrow(/non-negative whole number/)
    expect(() => SeededRandom.fromSeed(1.5)).toThrow(/non-negative whole number/)
    expect(() => SeededRandom.fromSeed(2 ** 53)).toThrow()
  })

  it('draws floats in [0, 1) and ints within their inclusive bounds', () => {
    const random = SeededRandom.fromSeed(11)
    for (let i = 0; i < 2000; i += 1) {
      const float = random.float()
      expect(float).toBeGreaterThanOrEqual(0)
      expect(float).toBeLessThan(1)
      const int = random.int(-3, 3)
      expect(int).toBeGreaterThanOrEqual(-3)
      expect(int).toBeLessThanOrEqual(3)
    }
  })

  it('samples without replacement and shuffles into a permutation', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 }), fc.integer({ min: 0, max: 12 }), (seed, size) => {
        const items = Array.from({ length: size }, (_, i) => `p${i}`)
        const random = SeededRandom.fromSeed(seed)
        const k = random.int(0, size)
        const sample = random.sample(items, k)
        expect(new Set(sample).size).toBe(k)
        expect(sample.every((item) => items.includes(item))).toBe(true)
        expect([...random.shuffle(items)].sort()).toEqual([...items].sort())
      })
    )
  })

  it('makes every draw of chance(), even for certain outcomes, so later draws never shift', () => {
    const a = SeededRandom.fromSeed(5)
    const b = SeededRandom.fromSeed(5)
    expect(a.chance(0)).toBe(false)
    expect(b.chance(1)).toBe(true)
    expect(a.float()).toBe(b.float())
  })

  it('refuses impossible requests with a message', () => {
    const random = SeededRandom.fromSeed(1)
    expect(() => random.pick([])).toThrow(/empty list/)
    expect(() => random.sample([1, 2], 3)).toThrow(/cannot sample 3 items from a list of 2/)
    expect(() => random.chance(1.5)).toThrow(/between 0 and 1/)
    expect(() => random.int(3, 2)).toThrow(/min <= max/)
  })
})

describe('seededUuid4', () => {
  it('makes valid version-4 UUIDs that repeat for the same seed', () => {
    const a = SeededRandom.fromSeed(42).fork('files')
    const b = SeededRandom.fromSeed(42).fork('files')
    const first = [seededUuid4(a), seededUuid4(a)]
    expect(first).toEqual([seededUuid4(b), seededUuid4(b)])
    expect(first[0]).not.toBe(first[1])
    for (const uuid of first) expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })
})
