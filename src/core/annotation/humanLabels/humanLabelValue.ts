import type { Label } from '../../schema/annotatorSpec.js'

export type HumanLabelValue = number | string | boolean

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/
const INTEGER = /^[+-]?\d+(?:\.0*)?$/
const TRUE_WORDS = new Set(['true', 'yes', 'y', 't', '1'])
const FALSE_WORDS = new Set(['false', 'no', 'n', 'f', '0'])

/**
 * A cell without a spec: numbers as numbers and `true`/`false` as booleans, so a human's `3` and an
 * LLM's JSON `3` are the same category to the agreement coefficients; anything else as text.
 */
export function untypedLabelValue(text: string): HumanLabelValue {
  if (NUMBER.test(text)) return Number(text)
  const lower = text.toLowerCase()
  if (lower === 'true') return true
  if (lower === 'false') return false
  return text
}

/** A cell read by its label's type in the annotator spec; a sentence saying what is wrong when it does not fit. */
export function typedLabelValue(label: Label, text: string): { value: HumanLabelValue } | { problem: string } {
  const given = `${label.name} "${text}"`
  switch (label.type) {
    case 'integer': {
      if (!INTEGER.test(text)) return { problem: `${given} is not a whole number (expected ${label.min}–${label.max})` }
      const value = Number(text)
      if (value < label.min || value > label.max) return { problem: `${given} is outside ${label.min}–${label.max}` }
      return { value }
    }
    case 'number': {
      if (!NUMBER.test(text)) return { problem: `${given} is not a number (expected ${label.min}–${label.max})` }
      const value = Number(text)
      if (value < label.min || value > label.max) return { problem: `${given} is outside ${label.min}–${label.max}` }
      return { value }
    }
    case 'category': {
      if (label.options.includes(text)) return { value: text }
      // A sheet's capitalisation is forgiven when it names exactly one option.
      const matches = label.options.filter((option) => option.toLowerCase() === text.toLowerCase())
      if (matches.length === 1) return { value: matches[0]! }
      return { problem: `${given} is not one of ${label.options.map((option) => `"${option}"`).join(', ')}` }
    }
    case 'boolean': {
      const lower = text.toLowerCase()
      if (TRUE_WORDS.has(lower)) return { value: true }
      if (FALSE_WORDS.has(lower)) return { value: false }
      return { problem: `${given} is not true or false (yes/no, 1/0 are read too)` }
    }
    case 'text':
      if (text.length > label.max_length) {
        return { problem: `${label.name} is ${text.length} characters long; the spec allows at most ${label.max_length}` }
      }
      return { value: text }
  }
}
