import { z } from 'zod'
import { PromptFormatSchema } from '../../llm/backend.js'
import { PromptTemplatesSchema } from './customPrompt.js'
import { AttributeStyleSchema } from './sdfAttributes.js'

/**
 * How a speaker's turn becomes messages:
 * - `sdf-v0`: SDF v0's exact text (spec §2.4, §7), sent by default as SDF sent it, through
 *   llama-cpp-python's alpaca format, with SDF's stop strings;
 * - `sdf-v0.1`: the Dec 2024 – Feb 2025 system prompt (`Your name is … Your traits: …`);
 * - `modern`: SDF Studio's structured prompt for the model's own chat template;
 * - `custom`: the user's templates (placeholders only).
 */
export const PromptModeSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('sdf-v0'),
    attribute_style: AttributeStyleSchema.default('field-value-sex-word'),
    prompt_format: PromptFormatSchema.default('sdf-alpaca')
  }),
  z.object({
    kind: z.literal('sdf-v0.1'),
    attribute_style: AttributeStyleSchema.default('field-value'),
    prompt_format: PromptFormatSchema.default('sdf-alpaca')
  }),
  z.object({ kind: z.literal('modern'), history: z.enum(['transcript', 'turns']).default('transcript') }),
  z.object({ kind: z.literal('custom'), templates: PromptTemplatesSchema })
])
export type PromptMode = z.infer<typeof PromptModeSchema>
