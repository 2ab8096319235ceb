import { logGamma } from './logGamma.js'

const EPSILON = 1e-15
const TINY = 1e-300
const MAX_ITERATIONS = 10_000

/**
 * The regularized lower incomplete gamma function P(a, x) = γ(a, x) / Γ(a): the series for
 * x < a + 1, where it converges fast, and 1 − Q from the continued fraction otherwise
 * (Numerical Recipes 3rd ed. §6.2).
 */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0)) throw new RangeError(`incomplete gamma needs a > 0, got ${a}`)
  if (Number.isNaN(x)) return Number.NaN
  if (x <= 0) return 0
  if (x === Number.POSITIVE_INFINITY) return 1
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x)
}

/** The regularized upper incomplete gamma function Q(a, x) = 1 − P(a, x), accurate in the far tail. */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0)) throw new RangeError(`incomplete gamma needs a > 0, got ${a}`)
  if (Number.isNaN(x)) return Number.NaN
  if (x <= 0) return 1
  if (x === Number.POSITIVE_INFINITY) return 0
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x)
}

function gammaSeries(a: number, x: number): number {
  let ap = a
  let sum = 1 / a
  let term = sum
  for (let n = 0; n < MAX_ITERATIONS; n++) {
    ap += 1
    term *= x / ap
    sum += term
    if (Math.abs(term) < Math.abs(sum) * EPSILON) break
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a))
}

function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a
  let c = 1 / TINY
  let d = 1 / b
  let h = d
  for (let i = 1; i <= MAX_ITERATIONS; i++) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b
    if (Math.abs(d) < TINY) d = TINY
    c = b + an / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < EPSILON) break
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h
}
