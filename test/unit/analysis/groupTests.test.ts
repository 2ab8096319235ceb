import { describe, expect, it } from 'vitest'
import {
  compareGroups,
  dunnTest,
  holmAdjust,
  kruskalWallis,
  mannWhitneyU,
  oneWayAnova,
  welchTTest
} from '../../../src/core/analysis/index.js'

// McDonald, Handbook of Biological Statistics, "One-way anova": length of the anterior adductor
// muscle scar / total length in Mytilus trossulus at five locations. The same data is the worked
// example of scipy's `f_oneway` docs, which give F = 7.121019471642447, p = 0.0002812242314534544.
const tillamook = [0.0571, 0.0813, 0.0831, 0.0976, 0.0817, 0.0859, 0.0735, 0.0659, 0.0923, 0.0836]
const newport = [0.0873, 0.0662, 0.0672, 0.0819, 0.0749, 0.0649, 0.0835, 0.0725]
const petersburg = [0.0974, 0.1352, 0.0817, 0.1016, 0.0968, 0.1064, 0.105]
const magadan = [0.1033, 0.0915, 0.0781, 0.0685, 0.0677, 0.0697, 0.0764, 0.0689]
const tvarminne = [0.0703, 0.1026, 0.0956, 0.0973, 0.1039, 0.1045]
const mussels = [
  { group: 'Tillamook', values: tillamook },
  { group: 'Newport', values: newport },
  { group: 'Petersburg', values: petersburg },
  { group: 'Magadan', values: magadan },
  { group: 'Tvarminne', values: tvarminne }
]

describe('one-way ANOVA', () => {
  it('reproduces the scipy f_oneway / McDonald mussel example (F 7.121, df 4 and 34, p 0.000281)', () => {
    const result = oneWayAnova(mussels)
    expect(result.F).toBeCloseTo(7.121019471642447, 9)
    expect(result.df_between).toBe(4)
    expect(result.df_within).toBe(34)
    expect(result.p).toBeCloseTo(0.0002812242314534544, 12)
  })

  it('has no F for a single group, and p 0 without an (infinite) F for constant groups that differ', () => {
    expect(oneWayAnova([{ group: 'a', values: [1, 2, 3] }]).F).toBeNull()
    expect(oneWayAnova([{ group: 'a', values: [1, 1] }, { group: 'b', values: [2, 2] }])).toMatchObject({ F: null, p: 0 })
    expect(oneWayAnova([{ group: 'a', values: [1, 1] }, { group: 'b', values: [1, 1] }]).F).toBeNull()
  })
})

describe('Kruskal-Wallis H', () => {
  it('reproduces the examples of the scipy.stats.kruskal docs', () => {
    // x = [1, 3, 5, 7, 9], y = [2, 4, 6, 8, 10] → statistic 0.2727272727272734, p 0.6015081344405895
    const untied = kruskalWallis([
      { group: 'x', values: [1, 3, 5, 7, 9] },
      { group: 'y', values: [2, 4, 6, 8, 10] }
    ])
    expect(untied.H).toBeCloseTo(0.2727272727272734, 12)
    expect(untied.p).toBeCloseTo(0.6015081344405895, 12)
    // x = [1, 1, 1], y = [2, 2, 2], z = [2, 2] → statistic 7.0, p 0.0301973834223185 (tie-corrected)
    const tied = kruskalWallis([
      { group: 'x', values: [1, 1, 1] },
      { group: 'y', values: [2, 2, 2] },
      { group: 'z', values: [2, 2] }
    ])
    expect(tied.H).toBeCloseTo(7, 12)
    expect(tied.p).toBeCloseTo(0.0301973834223185, 12)
  })

  it('matches scipy on the mussel data (H 16.404810589080256, p 0.0025214014537637097)', () => {
    const result = kruskalWallis(mussels)
    expect(result.H).toBeCloseTo(16.404810589080256, 9)
    expect(result.df).toBe(4)
    expect(result.p).toBeCloseTo(0.0025214014537637097, 12)
  })

  it('is undefined when every value is the same', () => {
    expect(kruskalWallis([{ group: 'a', values: [3, 3] }, { group: 'b', values: [3] }]).H).toBeNull()
  })
})

describe("Welch's t-test", () => {
  it('matches scipy.stats.ttest_ind(tillamook, petersburg, equal_var=False)', () => {
    const result = welchTTest(tillamook, petersburg)
    expect(result.t).toBeCloseTo(-3.2279513794984585, 10)
    expect(result.df).toBeCloseTo(10.436333167244266, 9)
    expect(result.p).toBeCloseTo(0.008582062694519594, 12)
  })

  it('has no statistic when a sample has fewer than two values', () => {
    expect(welchTTest([1], [2, 3]).p).toBeNull()
  })
})

describe('Mann-Whitney U', () => {
  // scipy.stats.mannwhitneyu docs (Conover's example): ages at diagnosis, males vs females.
  const males = [19, 22, 16, 29, 24]
  const females = [20, 11, 17, 12]

  it('uses the exact distribution for small untied samples (U 17, p 0.1111)', () => {
    expect(mannWhitneyU(males, females)).toEqual({ U: 17, z: null, p: expect.closeTo(0.1111111111111111, 12), method: 'exact' })
  })

  it('uses the normal approximation with tie and continuity corrections otherwise', () => {
    // scipy: mannwhitneyu([1,2,2,3,4], [2,3,5,5,6,7]) → U 4.5, p 0.06414661873440437
    const tied = mannWhitneyU([1, 2, 2, 3, 4], [2, 3, 5, 5, 6, 7])
    expect(tied.method).toBe('asymptotic')
    expect(tied.U).toBe(4.5)
    expect(tied.p).toBeCloseTo(0.06414661873440437, 12)
  })

  it('keeps the exact path cheap and right for a tiny sample against a large one', () => {
    // scipy: mannwhitneyu([0, 1, 2], range(10, 40)) → p 0.00036656891495601173 (= 2 / C(33, 3))
    expect(mannWhitneyU([0, 1, 2], Array.from({ length: 30 }, (_, i) => 10 + i)).p).toBeCloseTo(0.00036656891495601173, 14)
    const large = Array.from({ length: Math.ceil((2000 - 2) / 7) }, (_, i) => 2 + 7 * i)
    // scipy: mannwhitneyu([3, 5, 1], range(2, 2000, 7)) → U 2, p 2.009412086211816e-06
    const result = mannWhitneyU([3, 5, 1], large)
    expect(result.U).toBe(2)
    expect(result.p! / 2.009412086211816e-6).toBeCloseTo(1, 6)
  })
})

describe("Dunn's test", () => {
  it('matches the tie-corrected formula of scikit-posthocs posthoc_dunn (reference computed with scipy.stats.rankdata)', () => {
    const pairs = dunnTest([
      { group: 'Tillamook', values: tillamook },
      { group: 'Newport', values: newport },
      { group: 'Petersburg', values: petersburg }
    ])
    expect(pairs.map((pair) => [pair.group_a, pair.group_b])).toEqual([
      ['Tillamook', 'Newport'],
      ['Tillamook', 'Petersburg'],
      ['Newport', 'Petersburg']
    ])
    expect(pairs[0]!.z).toBeCloseTo(0.816527996121017, 10)
    expect(pairs[0]!.p).toBeCloseTo(0.41419821811564683, 10)
    expect(pairs[1]!.z).toBeCloseTo(-2.5232665608515403, 10)
    expect(pairs[1]!.p).toBeCloseTo(0.011627022848125116, 10)
    expect(pairs[2]!.z).toBeCloseTo(-3.150990609915932, 10)
    expect(pairs[2]!.p).toBeCloseTo(0.0016271772147851086, 10)
  })

  it('applies the tie correction', () => {
    const pairs = dunnTest([
      { group: 'a', values: [1, 2, 2, 3, 4] },
      { group: 'b', values: [2, 3, 5, 5, 6, 7] },
      { group: 'c', values: [4, 6, 8, 8, 9] }
    ])
    expect(pairs.map((pair) => pair.z)).toEqual([
      expect.closeTo(-1.6295602900550394, 10),
      expect.closeTo(-2.942063511367155, 10),
      expect.closeTo(-1.4433248283344642, 10)
    ])
    expect(pairs[1]!.p).toBeCloseTo(0.0032603305219554525, 10)
  })
})

describe('Holm adjustment', () => {
  it('reproduces p.adjust(c(0.01, 0.04, 0.20, 0.03, 0.005, 0.07), "holm")', () => {
    // By hand (Holm 1979): sorted 0.005·6 = 0.03, 0.01·5 = 0.05, 0.03·4 = 0.12, 0.04·3 = 0.12,
    // 0.07·2 = 0.14, 0.20·1 = 0.20 → back in input order. Example from metricgate.com's Holm page.
    expect(holmAdjust([0.01, 0.04, 0.2, 0.03, 0.005, 0.07])).toEqual([
      expect.closeTo(0.05, 12),
      expect.closeTo(0.12, 12),
      expect.closeTo(0.2, 12),
      expect.closeTo(0.12, 12),
      expect.closeTo(0.03, 12),
      expect.closeTo(0.14, 12)
    ])
  })

  it('keeps the running maximum, caps at 1 and leaves missing tests out of m', () => {
    expect(holmAdjust([0.01, 0.04, 0.03, 0.005])).toEqual([
      expect.closeTo(0.03, 12),
      expect.closeTo(0.06, 12),
      expect.closeTo(0.06, 12),
      expect.closeTo(0.02, 12)
    ])
    expect(holmAdjust([0.6, null, 0.4])).toEqual([expect.closeTo(0.8, 12), null, expect.closeTo(0.8, 12)])
    expect(holmAdjust([0.9, 0.8])).toEqual([1, 1])
  })
})

describe('compareGroups', () => {
  it('runs ANOVA with Holm-corrected Welch tests for every pair', () => {
    const result = compareGroups(mussels)
    expect(result.omnibus).toMatchObject({ test: 'anova', F: expect.closeTo(7.121019471642447, 9) })
    expect(result.pairwise).toHaveLength(10)
    const pair = result.pairwise.find((row) => row.group_a === 'Tillamook' && row.group_b === 'Petersburg')!
    expect(pair.statistic).toBeCloseTo(-3.2279513794984585, 10)
    expect(pair.p_holm).toBeGreaterThanOrEqual(pair.p!)
    expect(result.groups.map((group) => group.n)).toEqual([10, 8, 7, 8, 6])
  })

  it('runs Kruskal-Wallis with Dunn or Mann-Whitney post hoc tests', () => {
    const dunn = compareGroups(mussels, { test: 'kruskal-wallis' })
    expect(dunn.omnibus).toMatchObject({ test: 'kruskal-wallis', H: expect.closeTo(16.404810589080256, 9) })
    expect(dunn.pairwise.every((row) => row.test === 'dunn')).toBe(true)
    const mwu = compareGroups(mussels, { test: 'kruskal-wallis', posthoc: 'mann-whitney-u' })
    expect(mwu.pairwise.every((row) => row.test === 'mann-whitney-u')).toBe(true)
  })
})
