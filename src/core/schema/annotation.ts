import { z } from 'zod'
import { IdSchema } from './ids.js'
import { PersonaSnapshotSchema } from './persona.js'
import { SourceRefSchema } from './source.js'

export const AnnotatorKindSchema = z.enum(['llm', 'human'])

export const AnnotatorSchema = z.object({
  /** Model pseudo-name for LLM annotators, a coder's name or code for humans. */
  name: z.string(),
  kind: AnnotatorKindSchema,
  model: z.string().nullable().default(null),
  prompt: z.string().nullable().default(null),
  persona: PersonaSnapshotSchema.nullable().default(null),
  spec_id: IdSchema.nullable().default(null)
})
export type Annotator = z.infer<typeof AnnotatorSchema>

export const LabelValueSchema = z.union([z.number(), z.string(), z.boolean(), z.null()])

export const AnnotationSchema = z.object({
  id: IdSchema,
  /** The discussion's id (SDF `conv_id`), even before that discussion is in the workspace; null when the source names none (SynDisco ≥2.1 logs). */
  discussion_id: z.string().min(1).nullable(),
  /**
   * Index of the annotated comment in the discussion. Null while the annotation is unlinked:
   * its discussion has not been imported yet, or the source could not be aligned.
   */
  comment_index: z.number().int().nonnegative().nullable(),
  /** Order of the record in its source file: legacy files can only be aligned by position. */
  position: z.number().int().nonnegative(),
  /** The annotated text as the legacy file quoted it; evidence for alignment, never a join key. */
  quoted_text: z.string().nullable().default(null),
  /** The annotated comment's author when the source names it (SynDisco ≥2.1 logs). */
  quoted_author: z.string().nullable().default(null),
  annotator: AnnotatorSchema,
  /** Structured label values, e.g. `{ toxicity: 3 }`. */
  values: z.record(z.string(), LabelValueSchema),
  raw_text: z.string(),
  /** False when the raw text held no value SDF Studio could read (SDF's `-1` sentinel). */
  parsed: z.boolean(),
  created_at: z.string().nullable().default(null),
  source: SourceRefSchema.optional()
})
export type Annotation = z.infer<typeof AnnotationSchema>
