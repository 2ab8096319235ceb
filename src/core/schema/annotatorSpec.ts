import { z } from 'zod'
import { IdSchema } from './ids.js'
import { PersonaSnapshotSchema } from './persona.js'
import { SourceRefSchema } from './source.js'

const LabelNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be snake_case: a lower-case letter, then letters, digits or "_"')

const LabelBase = { name: LabelNameSchema, description: z.string().default('') }

/** One thing an annotator rates. Kept small so every label maps to a grammar the model is held to. */
export const LabelSchema = z.discriminatedUnion('type', [
  z.object({ ...LabelBase, type: z.literal('integer'), min: z.number().int(), max: z.number().int() }),
  z.object({ ...LabelBase, type: z.literal('number'), min: z.number(), max: z.number() }),
  z.object({ ...LabelBase, type: z.literal('category'), options: z.array(z.string().min(1)).min(2) }),
  z.object({ ...LabelBase, type: z.literal('boolean') }),
  /** Free text such as a rationale; optional in the output. */
  z.object({ ...LabelBase, type: z.literal('text'), max_length: z.number().int().positive().default(500) })
])
export type Label = z.infer<typeof LabelSchema>

export const AnnotatorSpecSchema = z
  .object({
    id: IdSchema,
    name: z.string().min(1),
    /** Who the annotator is (SDF gave annotators personas too); null for a plain annotator. */
    persona: PersonaSnapshotSchema.nullable().default(null),
    instructions: z.string(),
    /** What the annotator rates; a `sdf-legacy` annotator may leave them out (its text is parsed as `Key=value`). */
    labels: z.array(LabelSchema).default([]),
    /**
     * `structured`: the model must answer in JSON matching the labels (constrained decoding).
     * `sdf-legacy`: free text parsed leniently as `Key=value`, as SDF did; failures are marked.
     */
    mode: z.enum(['structured', 'sdf-legacy']).default('structured'),
    context: z
      .object({
        /** The last N comments, ending with the annotated one. */
        history: z.number().int().positive().default(4),
        include_topic: z.boolean().default(false),
        /** By role, never by a substring of the name (SDF's bug, spec §6 item 4). */
        include_moderator_comments: z.boolean().default(false)
      })
      .prefault({}),
    example: z.boolean().optional(),
    source: SourceRefSchema.optional()
  })
  .superRefine((spec, ctx) => {
    if (spec.mode === 'structured' && spec.labels.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['labels'], message: 'a structured annotator needs at least one label' })
    }
    const seen = new Set<string>()
    spec.labels.forEach((label, position) => {
      if (seen.has(label.name)) {
        ctx.addIssue({ code: 'custom', path: ['labels', position, 'name'], message: `duplicate label "${label.name}"` })
      }
      seen.add(label.name)
      if ((label.type === 'integer' || label.type === 'number') && label.min > label.max) {
        ctx.addIssue({ code: 'custom', path: ['labels', position, 'max'], message: 'must not be below min' })
      }
    })
  })
export type AnnotatorSpec = z.infer<typeof AnnotatorSpecSchema>

/** The JSON schema an annotator's answer must match (for grammars and OpenAI `json_schema`). */
export function annotationJsonSchema(labels: readonly Label[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {}
  const required: string[] = []
  for (const label of labels) {
    const description = label.description || undefined
    switch (label.type) {
      case 'integer':
        properties[label.name] = { type: 'integer', minimum: label.min, maximum: label.max, description }
        break
      case 'number':
        properties[label.name] = { type: 'number', minimum: label.min, maximum: label.max, description }
        break
      case 'category':
        properties[label.name] = { type: 'string', enum: label.options, description }
        break
      case 'boolean':
        properties[label.name] = { type: 'boolean', description }
        break
      case 'text':
        properties[label.name] = { type: 'string', maxLength: label.max_length, description }
        break
    }
    required.push(label.name)
  }
  return { type: 'object', properties, required, additionalProperties: false }
}

/** Validates a parsed answer against the labels (the grammar alone does not enforce ranges). */
export function annotationValuesSchema(labels: readonly Label[]): z.ZodType<Record<string, string | number | boolean>> {
  const shape: Record<string, z.ZodType> = {}
  for (const label of labels) {
    switch (label.type) {
      case 'integer':
        shape[label.name] = z.number().int().min(label.min).max(label.max)
        break
      case 'number':
        shape[label.name] = z.number().min(label.min).max(label.max)
        break
      case 'category':
        shape[label.name] = z.enum(label.options as [string, ...string[]])
        break
      case 'boolean':
        shape[label.name] = z.boolean()
        break
      case 'text':
        shape[label.name] = z.string().max(label.max_length)
        break
    }
  }
  return z.strictObject(shape) as unknown as z.ZodType<Record<string, string | number | boolean>>
}
