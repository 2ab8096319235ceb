/**
 * Holm's (1979) step-down adjustment: sort the m p-values ascending, multiply the i-th smallest
 * by (m − i + 1), carry the running maximum so order is kept, cap at 1 (R's
 * `p.adjust(p, "holm")`). Null entries (tests that could not be run) stay null and do not count
 * towards m. Results come back in the input order.
 */
export function holmAdjust(pValues: readonly (number | null)[]): (number | null)[] {
  const present = pValues
    .map((p, index) => ({ p, index }))
    .filter((entry): entry is { p: number; index: number } => entry.p !== null && !Number.isNaN(entry.p))
    .sort((x, y) => x.p - y.p)
  const m = present.length
  const adjusted: (number | null)[] = pValues.map(() => null)
  let running = 0
  present.forEach(({ p, index }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p))
    adjusted[index] = running
  })
  return adjusted
}
