// Reference values: scipy 1.17.1 (`scipy.stats` / `scipy.special`), printed to 16 digits and
// rounded here; the t quantiles are also the classic table values (e.g. NIST/SEMATECH e-Handbook
// §1.3.6.7.2: t(0.975; 1) = 12.706, t(0.975; 10) = 2.228, t(0.975; 100) = 1.984).
import { describe, expect, it } from 'vitest'
import {
  chiSquareSurvival,
  fSurvival,
  logGamma,
  normalCdf,
  normalSurvival,
  regularizedGammaP,
  regularizedGammaQ,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTQuantile,
  studentTTwoSidedP,
  summarizeSample
} from '../../../src/core/analysis/index.js'

describe('special functions', () => {
  it('log-gamma matches scipy.special.gammaln', () => {
    expect(logGamma(0.3)).toBeCloseTo(1.0957979948180756, 12)
    expect(logGamma(100.5)).toBeCloseTo(361.43554046777757, 9)
    expect(logGamma(1)).toBeCloseTo(0, 14)
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13)
  })

  it('regularized incomplete beta matches scipy.special.betainc', () => {
    expect(regularizedIncompleteBeta(0.4, 2, 3)).toBeCloseTo(0.5248, 12) // closed form: 1 − Σ … = 0.5248
    expect(regularizedIncompleteBeta(0.1, 0.5, 0.5)).toBeCloseTo(0.20483276469913345, 12)
    expect(regularizedIncompleteBeta(0.6, 50, 40)).toBeCloseTo(0.8011534179744884, 10)
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0)
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1)
  })

  it('regularized incomplete gamma matches scipy.special.gammainc / gammaincc', () => {
    expect(regularizedGammaP(3, 2.5)).toBeCloseTo(0.45618688411667035, 12)
    expect(regularizedGammaQ(0.5, 20)).toBeCloseTo(2.5396285894708634e-10, 20)
    expect(regularizedGammaP(3, 2.5) + regularizedGammaQ(3, 2.5)).toBeCloseTo(1, 14)
  })
})

describe('distributions', () => {
  it("Student's t quantiles match scipy.stats.t.ppf(0.975, df)", () => {
    const table: [number, number][] = [
      [1, 12.706204736174694],
      [2, 4.302652729749462],
      [5, 2.5705818356363146],
      [10, 2.228138851986274],
      [30, 2.0422724563012378],
      [100, 1.9839715185235518],
      [2.5, 3.5746548420036817]
    ]
    for (const [df, expected] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(expected, 9)
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.228138851986274, 9)
    expect(studentTQuantile(0.5, 3)).toBe(0)
  })

  it("Student's t CDF matches scipy.stats.t.cdf", () => {
    expect(studentTCdf(-2, 3)).toBeCloseTo(0.06966298427942152, 12)
    expect(studentTCdf(1.5, 7.5)).toBeCloseTo(0.912759714706768, 12)
    expect(studentTTwoSidedP(-2, 3)).toBeCloseTo(2 * 0.06966298427942152, 12)
  })

  it('F survival matches scipy.stats.f.sf', () => {
    expect(fSurvival(3, 2, 10)).toBeCloseTo(0.09536743164062497, 12) // = (1 + 2·3/10)^−5, exact
    expect(fSurvival(0.5, 4, 20)).toBeCloseTo(0.7360371889109243, 12)
    expect(fSurvival(10, 1, 1)).toBeCloseTo(0.19498222904213666, 12)
  })

  it('chi-square survival matches scipy.stats.chi2.sf', () => {
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 12)
    expect(chiSquareSurvival(10, 3)).toBeCloseTo(0.01856613546304325, 12)
    expect(chiSquareSurvival(100, 50)).toBeCloseTo(3.454931382984871e-5, 14)
    expect(chiSquareSurvival(0.5, 4)).toBeCloseTo(0.9735009788392561, 12)
  })

  it('normal tails match scipy.stats.norm, far tail included', () => {
    expect(normalSurvival(1.96)).toBeCloseTo(0.024997895148220435, 12)
    expect(normalSurvival(5)).toBeCloseTo(2.866515718791933e-7, 17)
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316300933, 14)
    expect(normalSurvival(10) / 7.61985302416047e-24).toBeCloseTo(1, 9)
    expect(normalSurvival(-1.96)).toBeCloseTo(1 - 0.024997895148220435, 12)
  })
})

describe('mean with a t-based confidence interval', () => {
  it('matches scipy.stats.t.interval(0.95, n − 1, loc=mean, scale=sem)', () => {
    const summary = summarizeSample([2.1, 2.5, 3.3, 4.0, 4.4])!
    expect(summary.mean).toBeCloseTo(3.26, 12)
    expect(summary.ci_low).toBeCloseTo(2.0542426015891326, 9)
    expect(summary.ci_high).toBeCloseTo(4.465757398410866, 9)
  })

  it('gives no interval for one value and nothing for none', () => {
    expect(summarizeSample([7])).toEqual({ n: 1, mean: 7, sd: null, ci_low: null, ci_high: null })
    expect(summarizeSample([])).toBeUndefined()
  })
})
