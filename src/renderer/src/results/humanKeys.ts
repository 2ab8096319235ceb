import { z } from 'zod'

// The blind human annotation mode is driven from the keyboard: a digit sets the active label's
// value, Tab / ↑↓ move between labels, Enter saves and opens the next comment.

export const HumanLabelSchema = z.discriminatedUnion('type', [
  z.object({ name: z.string(), description: z.string().default(''), type: z.literal('integer'), min: z.number(), max: z.number() }),
  z.object({ name: z.string(), description: z.string().default(''), type: z.literal('number'), min: z.number(), max: z.number() }),
  z.object({ name: z.string(), description: z.string().default(''), type: z.literal('category'), options: z.array(z.string()) }),
  z.object({ name: z.string(), description: z.string().default(''), type: z.literal('boolean') }),
  z.object({ name: z.string(), description: z.string().default(''), type: z.literal('text') })
])

export type HumanLabel = z.infer<typeof HumanLabelSchema>

export type LabelValue = number | string | boolean | null

/** The labels of a spec this mode can show; the others (unknown types) are left out. */
export function readLabels(labels: readonly unknown[]): HumanLabel[] {
  return labels.flatMap((label) => {
    const parsed = HumanLabelSchema.safeParse(label)
    return parsed.success ? [parsed.data] : []
  })
}

/** The choices a label offers on the number keys, in key order (1, 2, … then 0 for the tenth). */
export function keyChoices(label: HumanLabel): { key: string; value: LabelValue; text: string }[] {
  switch (label.type) {
    case 'integer': {
      if (label.max - label.min > 9) return []
      const values = Array.from({ length: label.max - label.min + 1 }, (_, i) => label.min + i)
      // A scale that starts at 0 or 1 uses its own digits, so "3" always means 3.
      if (label.min >= 0 && label.max <= 9) return values.map((value) => ({ key: String(value), value, text: String(value) }))
      return values.map((value, i) => ({ key: String((i + 1) % 10), value, text: String(value) }))
    }
    case 'category':
      return label.options.slice(0, 10).map((option, i) => ({ key: String((i + 1) % 10), value: option, text: option }))
    case 'boolean':
      return [
        { key: '1', value: true, text: 'yes' },
        { key: '0', value: false, text: 'no' }
      ]
    default:
      return []
  }
}

/** The value a key sets on a label, or undefined when the key means nothing for it. */
export function valueForKey(label: HumanLabel, key: string): LabelValue | undefined {
  return keyChoices(label).find((choice) => choice.key === key)?.value
}

/** Whether every label that needs a value has one (text labels are optional). */
export function isComplete(labels: readonly HumanLabel[], values: Readonly<Record<string, LabelValue | undefined>>): boolean {
  return labels.every((label) => label.type === 'text' || (values[label.name] !== undefined && values[label.name] !== null))
}
