/** Krippendorff's levels of measurement: they choose the difference function between two values. */
export const MEASUREMENT_LEVELS = ['nominal', 'ordinal', 'interval', 'ratio'] as const
export type MeasurementLevel = (typeof MEASUREMENT_LEVELS)[number]

export function isMeasurementLevel(name: string): name is MeasurementLevel {
  return (MEASUREMENT_LEVELS as readonly string[]).includes(name)
}
