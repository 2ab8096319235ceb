import { z } from 'zod'
import { RecordIdSchema } from './records.js'

// The contract's prompt preview: the exact text a persona would be given under an instruction and
// a topic, rendered by core's own prompt builders (the ones the engine sends), so the library page
// shows what a run will send rather than an approximation.

/** The prompt modes a preview can render; `modern` is SDF Studio's prompt for a model's own chat template. */
export const PreviewPromptModeSchema = z.enum(['sdf-v0', 'sdf-v0.1', 'modern'])

export type PreviewPromptMode = z.infer<typeof PreviewPromptModeSchema>

export const PromptPreviewInputSchema = z.strictObject({
  /** The speaker; without one a user is shown with no persona attributes (a moderator with SDF's defaults). */
  personaId: RecordIdSchema.optional(),
  /** A user or moderator instruction; without one the instructions are left empty. */
  instructionId: RecordIdSchema.optional(),
  /** Instruction text being edited and not yet saved: used instead of the stored text, for a live preview. */
  instructionText: z.string().max(200_000).optional(),
  /** Whose instruction the unsaved text is; a moderator's makes the moderator speak. */
  instructionKind: z.enum(['user', 'moderator', 'annotator']).optional(),
  /** The discussion's topic, placed where the mode puts it; its seed comments become the history. */
  topicId: RecordIdSchema.optional(),
  mode: PreviewPromptModeSchema.default('sdf-v0'),
  /** Comments of history the speaker sees (SDF's `history_ctx_len`). */
  historyLength: z.number().int().min(0).max(100).default(5)
})

export const PromptPreviewSchema = z.object({
  /** Who speaks: a user, or the moderator when the instruction is a moderator's. */
  role: z.enum(['user', 'moderator']),
  speaker: z.string(),
  /** The system message. */
  system: z.string(),
  /** The last user message: the one the model answers. */
  prompt: z.string(),
  /** The exact text the model reads for SDF's alpaca format; null for a chat template (only the loaded model can render it). */
  rawPrompt: z.string().nullable(),
  promptFormat: z.enum(['chat-template', 'sdf-alpaca']),
  stop: z.array(z.string())
})

export type PromptPreview = z.infer<typeof PromptPreviewSchema>

export const promptsMethodSpecs = {
  /** The exact prompt a persona would receive for a topic under an instruction, as the engine renders it. */
  'prompts.preview': { input: PromptPreviewInputSchema, output: PromptPreviewSchema }
} as const
