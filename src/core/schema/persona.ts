import { z } from 'zod'
import { IdSchema } from './ids.js'
import { SourceRefSchema } from './source.js'

export const AttributeValueSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.string())
])
export type AttributeValue = z.infer<typeof AttributeValueSchema>

/**
 * The persona fields SDF knew about (spec §1.1). All but `username` are optional because later
 * SynDisco versions let a persona carry only the dimensions a study varies. `age` is a number in
 * SDF v0 and a free bucket such as "18-24" or "65+" in 2026 datasets, so both are kept as given.
 */
export const PersonaFieldsSchema = z.object({
  username: z.string().trim().min(1, 'must be a non-empty name'),
  age: z.union([z.number(), z.string()]).optional(),
  sex: z.string().optional(),
  sexual_orientation: z.string().optional(),
  demographic_group: z.string().optional(),
  current_employment: z.string().optional(),
  education_level: z.string().optional(),
  special_instructions: z.string().optional(),
  /** SDF v-1 used `intent` ("Troll", "Helpful", "Neutral") instead of special instructions. */
  intent: z.string().optional(),
  personality_characteristics: z.array(z.string()).optional(),
  /** Attributes outside SDF's fixed set, kept verbatim (e.g. `political_leaning`). */
  extra_attributes: z.record(z.string(), AttributeValueSchema).default({})
})

/** The persona as a participant carries it inside a discussion: no library identity. */
export const PersonaSnapshotSchema = PersonaFieldsSchema
export type PersonaSnapshot = z.infer<typeof PersonaSnapshotSchema>

export const PersonaRoleHintSchema = z.enum(['user', 'moderator', 'annotator'])

/** A persona in the workspace library. */
export const PersonaSchema = PersonaFieldsSchema.extend({
  id: IdSchema,
  /** What the persona was written for, when its source tells (e.g. annotator persona files). */
  role_hint: PersonaRoleHintSchema.optional(),
  /** Starter-library examples are marked so they can be told apart and removed. */
  example: z.boolean().optional(),
  source: SourceRefSchema.optional()
})
export type Persona = z.infer<typeof PersonaSchema>

/** The keys SDF itself defined, in the dataclass order used when rendering prompts (spec §1.1). */
export const SDF_PERSONA_FIELDS = [
  'username',
  'age',
  'sex',
  'sexual_orientation',
  'demographic_group',
  'current_employment',
  'education_level',
  'special_instructions',
  'personality_characteristics'
] as const
