/** One group's values, as the group comparisons take them. */
export interface NamedSample {
  group: string
  values: readonly number[]
}
