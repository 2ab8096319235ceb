// Lanczos approximation (g = 7, n = 9), as in Numerical Recipes 3rd ed. §6.1 and Boost; relative
// error below 1e-15 for positive arguments, which is all the distributions here ever need.
const G = 7
const COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7
]

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`)
  if (x < 0.5) {
    // Reflection keeps the series in the range where it is accurate.
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x)
  }
  const z = x - 1
  let sum = COEFFICIENTS[0]!
  for (let i = 1; i < G + 2; i++) sum += COEFFICIENTS[i]! / (z + i)
  const t = z + G + 0.5
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum)
}
