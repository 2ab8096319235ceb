import { z } from 'zod'
import { IdSchema } from './ids.js'
import { SourceRefSchema } from './source.js'

export const InstructionKindSchema = z.enum(['user', 'moderator', 'annotator'])
export type InstructionKind = z.infer<typeof InstructionKindSchema>

export const InstructionSchema = z.object({
  id: IdSchema,
  kind: InstructionKindSchema,
  name: z.string(),
  /** Verbatim, escapes and all: SDF passed instruction files to the model unchanged (spec §1.3). */
  text: z.string(),
  example: z.boolean().optional(),
  source: SourceRefSchema.optional()
})
export type Instruction = z.infer<typeof InstructionSchema>
