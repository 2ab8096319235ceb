import { z } from 'zod'

export const LABEL_TYPES = ['integer', 'number', 'category', 'boolean', 'text'] as const
export type LabelType = (typeof LABEL_TYPES)[number]

/** The name a rationale label gets: free text the annotator explains its rating with. */
export const RATIONALE_LABEL = 'rationale'

/** One label as the builder edits it: every type's settings at once, only the chosen type's are kept. */
export const LabelFormSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'Use snake_case: a lower-case letter, then letters, digits or "_"'),
    type: z.enum(LABEL_TYPES),
    description: z.string(),
    min: z.number().nullable(),
    max: z.number().nullable(),
    options: z.array(z.string()),
    max_length: z.number().nullable()
  })
  .superRefine((label, ctx) => {
    if (label.type === 'integer' || label.type === 'number') {
      const whole = label.type === 'integer'
      for (const bound of ['min', 'max'] as const) {
        const value = label[bound]
        if (value === null) ctx.addIssue({ code: 'custom', path: [bound], message: `Give the ${bound === 'min' ? 'lowest' : 'highest'} value` })
        else if (whole && !Number.isInteger(value)) ctx.addIssue({ code: 'custom', path: [bound], message: 'Must be a whole number' })
      }
      if (label.min !== null && label.max !== null && label.min > label.max) {
        ctx.addIssue({ code: 'custom', path: ['max'], message: 'Must not be below the lowest value' })
      }
    }
    if (label.type === 'category') {
      const options = label.options.map((option) => option.trim()).filter((option) => option !== '')
      if (options.length < 2) ctx.addIssue({ code: 'custom', path: ['options'], message: 'List at least two categories' })
      else if (new Set(options).size !== options.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'Each category once' })
    }
    if (label.type === 'text' && label.max_length !== null && (!Number.isInteger(label.max_length) || label.max_length < 1)) {
      ctx.addIssue({ code: 'custom', path: ['max_length'], message: 'A whole number of characters, at least 1' })
    }
  })

export type LabelFormValues = z.infer<typeof LabelFormSchema>

export const AnnotatorFormSchema = z
  .object({
    name: z.string().trim().min(1, 'Name the annotator: its annotations are stored under this name'),
    instructions: z.string(),
    mode: z.enum(['structured', 'sdf-legacy']),
    personaId: z.string().nullable(),
    history: z.number().int('A whole number of comments').min(1, 'At least the annotated comment itself'),
    include_topic: z.boolean(),
    include_moderator_comments: z.boolean(),
    labels: z.array(LabelFormSchema)
  })
  .superRefine((form, ctx) => {
    if (form.mode === 'structured' && form.labels.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['labels'], message: 'A structured annotator needs at least one label to rate' })
    }
    const seen = new Set<string>()
    form.labels.forEach((label, index) => {
      if (seen.has(label.name)) ctx.addIssue({ code: 'custom', path: ['labels', index, 'name'], message: `"${label.name}" is already a label above` })
      seen.add(label.name)
    })
  })

export type AnnotatorFormValues = z.infer<typeof AnnotatorFormSchema>

export interface AnnotatorRecord {
  id: string
  name: string
  persona?: Record<string, unknown> | null
  instructions: string
  labels?: Record<string, unknown>[]
  mode?: 'structured' | 'sdf-legacy'
  context?: { history?: number; include_topic?: boolean; include_moderator_comments?: boolean }
  example?: boolean
  [field: string]: unknown
}

export function emptyLabel(type: LabelType = 'integer', name = ''): LabelFormValues {
  return { name, type, description: '', min: type === 'integer' ? 1 : type === 'number' ? 0 : null, max: type === 'integer' ? 5 : type === 'number' ? 1 : null, options: [], max_length: type === 'text' ? 500 : null }
}

const num = (value: unknown): number | null => (typeof value === 'number' ? value : null)

export function annotatorToForm(record: AnnotatorRecord | null, personaIdOf: (snapshot: Record<string, unknown>) => string | null): AnnotatorFormValues {
  return {
    name: record?.name ?? '',
    instructions: record?.instructions ?? '',
    mode: record?.mode ?? 'structured',
    personaId: record?.persona ? personaIdOf(record.persona) : null,
    history: record?.context?.history ?? 4,
    include_topic: record?.context?.include_topic ?? false,
    include_moderator_comments: record?.context?.include_moderator_comments ?? false,
    labels: (record?.labels ?? [{ ...emptyLabel('integer', 'toxicity') }]).map((label) => {
      const type = (LABEL_TYPES as readonly unknown[]).includes(label['type']) ? (label['type'] as LabelType) : 'text'
      return {
        name: typeof label['name'] === 'string' ? label['name'] : '',
        type,
        description: typeof label['description'] === 'string' ? label['description'] : '',
        min: num(label['min']),
        max: num(label['max']),
        options: Array.isArray(label['options']) ? label['options'].map(String) : [],
        max_length: num(label['max_length'])
      }
    })
  }
}

/** A builder label as core's label: only the chosen type's settings. */
export function formLabelToRecord(label: LabelFormValues): Record<string, unknown> {
  const base = { name: label.name, type: label.type, description: label.description }
  switch (label.type) {
    case 'integer':
    case 'number':
      return { ...base, min: label.min, max: label.max }
    case 'category':
      return { ...base, options: label.options.map((option) => option.trim()).filter((option) => option !== '') }
    case 'boolean':
      return base
    case 'text':
      return { ...base, max_length: label.max_length ?? 500 }
  }
}

/** The persona fields an annotator carries: a snapshot, without the library's identity and marks. */
export function personaSnapshot(persona: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, example: _example, source: _source, role_hint: _role, ...snapshot } = persona
  return snapshot
}

export function formToAnnotator(
  values: AnnotatorFormValues,
  id: string,
  original: AnnotatorRecord | null,
  personaById: (id: string) => Record<string, unknown> | undefined
): AnnotatorRecord {
  const chosen = values.personaId === null ? undefined : personaById(values.personaId)
  return {
    ...(original ?? {}),
    id,
    name: values.name.trim(),
    instructions: values.instructions,
    mode: values.mode,
    // An unchanged choice keeps the stored snapshot (the library persona may have been edited since).
    persona: chosen === undefined ? (values.personaId === null ? null : (original?.persona ?? null)) : personaSnapshot(chosen),
    labels: values.labels.map(formLabelToRecord),
    context: { history: values.history, include_topic: values.include_topic, include_moderator_comments: values.include_moderator_comments }
  }
}
