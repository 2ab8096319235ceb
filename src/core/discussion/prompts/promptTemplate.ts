/**
 * A deliberately tiny template language for user-editable prompts: `{{name}}` placeholders and
 * nothing else — no loops, no conditions, no expressions, no code. Rendering is one pass over the
 * parsed template, so a value is always inserted as plain text: a persona whose username is
 * `{{instructions}}` shows up as those characters and can never pull in other values.
 *
 * `{{` always opens a placeholder (spaces inside are allowed: `{{ persona.age }}`); single braces are
 * ordinary text, so JSON examples need no escaping.
 */
export class PromptTemplateError extends Error {
  override readonly name = 'PromptTemplateError'
  constructor(
    message: string,
    /** Offset of the problem in the template text. */
    readonly offset: number
  ) {
    super(message)
  }
}

export type TemplatePart = { text: string } | { placeholder: string }

const PLACEHOLDER_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/

/**
 * Splits a template into text and placeholders. `isKnown` decides which names exist, so a typo
 * (`{{persona.agee}}`) is reported when the template is saved, not silently rendered as nothing.
 */
export function parsePromptTemplate(template: string, isKnown: (name: string) => boolean): TemplatePart[] {
  const parts: TemplatePart[] = []
  let at = 0
  while (at < template.length) {
    const open = template.indexOf('{{', at)
    if (open < 0) {
      parts.push({ text: template.slice(at) })
      break
    }
    if (open > at) parts.push({ text: template.slice(at, open) })
    const close = template.indexOf('}}', open + 2)
    if (close < 0) throw new PromptTemplateError(`"{{" at offset ${open} is never closed with "}}"`, open)
    const name = template.slice(open + 2, close).trim()
    if (!PLACEHOLDER_NAME.test(name)) {
      throw new PromptTemplateError(`"{{${template.slice(open + 2, close)}}}" is not a placeholder name`, open)
    }
    if (!isKnown(name)) throw new PromptTemplateError(`unknown placeholder {{${name}}}`, open)
    parts.push({ placeholder: name })
    at = close + 2
  }
  return parts
}

/** Fills placeholders from `values`; a known name without a value renders as "". */
export function renderPromptTemplate(parts: readonly TemplatePart[], values: ReadonlyMap<string, string>): string {
  return parts.map((part) => ('text' in part ? part.text : (values.get(part.placeholder) ?? ''))).join('')
}
