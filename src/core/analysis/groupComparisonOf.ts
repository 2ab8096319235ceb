import type { NamedSample } from './stats/namedSample.js'
import { compareGroups, type CompareGroupsOptions, type GroupComparison } from './stats/compareGroups.js'

/** compareGroups when there is something to compare (two groups or more), null otherwise. */
export function groupComparisonOf(samples: readonly NamedSample[], options: CompareGroupsOptions = {}): GroupComparison | null {
  const present = samples.filter((sample) => sample.values.length > 0)
  return present.length >= 2 ? compareGroups(present, options) : null
}
