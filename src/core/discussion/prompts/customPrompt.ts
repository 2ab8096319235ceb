import { z } from 'zod'
import { SDF_PERSONA_FIELDS } from '../../schema/index.js'
import type { ChatMessage } from '../../llm/backend.js'
import { isPythonBlank } from './pythonWhitespace.js'
import { personaAttributeLines } from './personaAttributeLines.js'
import type { PromptInput } from './promptInput.js'
import { parsePromptTemplate, PromptTemplateError, renderPromptTemplate } from './promptTemplate.js'

/** Placeholders of the system and user templates. `persona.<key>` also accepts any extra attribute. */
export const PROMPT_PLACEHOLDERS = [
  'name',
  'role',
  'context',
  'instructions',
  'topic',
  'history',
  'attributes',
  'sdf_attributes',
  ...[...SDF_PERSONA_FIELDS, 'intent'].map((field) => `persona.${field}`)
] as const

/** Placeholders of the history item template. */
export const HISTORY_ITEM_PLACEHOLDERS = ['author', 'text'] as const

const isPromptPlaceholder = (name: string): boolean =>
  (PROMPT_PLACEHOLDERS as readonly string[]).includes(name) || /^persona\.[A-Za-z_][A-Za-z0-9_]*$/.test(name)
const isHistoryPlaceholder = (name: string): boolean => (HISTORY_ITEM_PLACEHOLDERS as readonly string[]).includes(name)

/** A user's own prompt: two templates and how each history comment is written. */
export const PromptTemplatesSchema = z
  .object({
    system: z.string(),
    user: z.string(),
    history_item: z.string().default('{{author}}: {{text}}'),
    history_separator: z.string().default('\n')
  })
  .superRefine((templates, ctx) => {
    const checks = [
      ['system', templates.system, isPromptPlaceholder],
      ['user', templates.user, isPromptPlaceholder],
      ['history_item', templates.history_item, isHistoryPlaceholder]
    ] as const
    for (const [field, template, isKnown] of checks) {
      try {
        parsePromptTemplate(template, isKnown)
      } catch (error) {
        if (!(error instanceof PromptTemplateError)) throw error
        ctx.addIssue({ code: 'custom', path: [field], message: error.message })
      }
    }
  })
export type PromptTemplates = z.infer<typeof PromptTemplatesSchema>

function textOf(value: unknown): string {
  if (value === undefined || value === null) return ''
  return Array.isArray(value) ? value.join(', ') : String(value)
}

/** The placeholder values for one turn. */
function promptValues(input: PromptInput, history: string): Map<string, string> {
  const persona = input.persona
  const values = new Map<string, string>([
    ['name', input.name],
    ['role', input.role],
    ['context', input.context],
    ['instructions', input.instructions],
    ['topic', input.topic ?? ''],
    ['history', history],
    ['attributes', persona ? personaAttributeLines(persona).join('\n') : (input.attributes ?? []).join('\n')],
    ['sdf_attributes', (input.attributes ?? []).join(', ')]
  ])
  if (persona) {
    for (const [key, value] of Object.entries(persona.extra_attributes)) values.set(`persona.${key}`, textOf(value))
    for (const field of [...SDF_PERSONA_FIELDS, 'intent'] as const) values.set(`persona.${field}`, textOf(persona[field]))
  }
  return values
}

/** Renders the custom mode's two messages; blank history comments are left out. */
export function customPromptMessages(templates: PromptTemplates, input: PromptInput): ChatMessage[] {
  const item = parsePromptTemplate(templates.history_item, isHistoryPlaceholder)
  const history = input.history
    .filter((entry) => !isPythonBlank(entry.text))
    .map((entry) => renderPromptTemplate(item, new Map([['author', entry.author], ['text', entry.text]])))
    .join(templates.history_separator)
  const values = promptValues(input, history)
  return [
    { role: 'system', content: renderPromptTemplate(parsePromptTemplate(templates.system, isPromptPlaceholder), values) },
    { role: 'user', content: renderPromptTemplate(parsePromptTemplate(templates.user, isPromptPlaceholder), values) }
  ]
}
