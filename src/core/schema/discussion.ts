import { z } from 'zod'
import { IdSchema } from './ids.js'
import { PersonaSnapshotSchema } from './persona.js'
import { SourceRefSchema } from './source.js'

export const ParticipantRoleSchema = z.enum(['user', 'moderator'])

/** How a participant's persona was obtained, since old formats only kept the rendered prompt. */
export const PersonaOriginSchema = z.enum(['structured', 'json-prompt', 'recovered-from-prompt', 'name-only'])

export const ParticipantSchema = z.object({
  username: z.string().min(1),
  role: ParticipantRoleSchema,
  persona: PersonaSnapshotSchema,
  persona_origin: PersonaOriginSchema,
  /** The exact system prompt the participant was given, when known. */
  system_prompt: z.string().nullable().default(null)
})
export type Participant = z.infer<typeof ParticipantSchema>

/** `seed` comments were written before the agents spoke (topic openers, real human comments). */
export const CommentRoleSchema = z.enum(['user', 'moderator', 'seed'])
export type CommentRole = z.infer<typeof CommentRoleSchema>

export const CommentTimingsSchema = z.object({
  started_at: z.string().optional(),
  finished_at: z.string().optional(),
  prompt_tokens: z.number().int().nonnegative().optional(),
  reused_prompt_tokens: z.number().int().nonnegative().optional(),
  generated_tokens: z.number().int().nonnegative().optional(),
  time_to_first_token_ms: z.number().nonnegative().optional(),
  duration_ms: z.number().nonnegative().optional()
})

export const CommentSchema = z.object({
  /** Position in the discussion log, from 0; annotations point at comments by this index. */
  index: z.number().int().nonnegative(),
  author: z.string(),
  role: CommentRoleSchema,
  /** What the model (or the source file) produced, untouched. */
  raw_text: z.string(),
  /** After the cleaning pipeline; equal to raw_text for imported comments. Blank = silent turn. */
  text: z.string(),
  /** Model name as the source recorded it; SDF wrote "hardcoded" for seed opinions. */
  model: z.string().nullable().default(null),
  reply_to: z.number().int().nonnegative().nullable().default(null),
  seed: z.number().int().nullable().default(null),
  prompt: z.string().nullable().default(null),
  timings: CommentTimingsSchema.optional()
})
export type Comment = z.infer<typeof CommentSchema>

export const DiscussionStatusSchema = z.enum(['complete', 'running', 'partial', 'failed'])

export const DiscussionSchema = z
  .object({
    id: IdSchema,
    /** The source's own timestamp string, verbatim (SDF: `%y-%m-%d-%H-%M`, at the END of a run). */
    timestamp: z.string().nullable().default(null),
    status: DiscussionStatusSchema.default('complete'),
    participants: z.array(ParticipantSchema),
    moderator: z.string().nullable().default(null),
    context: z.string().nullable().default(null),
    /** SDF's `ctx_length`: the history window size. */
    history_ctx_len: z.number().int().nonnegative().nullable().default(null),
    comments: z.array(CommentSchema),
    topic_id: IdSchema.nullable().default(null),
    config_id: IdSchema.nullable().default(null),
    run_id: IdSchema.nullable().default(null),
    /**
     * The experimental condition: design factor → level (e.g. `{ moderator_instructions: "rules-only",
     * model: "llama-8b" }`). Analyses group and compare by these.
     */
    conditions: z.record(z.string(), z.string()).default({}),
    /** Top-level keys of the source file that SDF Studio has no field for, kept verbatim. */
    extra: z.record(z.string(), z.unknown()).default({}),
    source: SourceRefSchema.optional()
  })
  .superRefine((discussion, ctx) => {
    const seen = new Set<string>()
    discussion.participants.forEach((participant, position) => {
      if (seen.has(participant.username)) {
        ctx.addIssue({
          code: 'custom',
          path: ['participants', position, 'username'],
          message: `duplicate username "${participant.username}": usernames must be unique within a discussion`
        })
      }
      seen.add(participant.username)
    })
    discussion.comments.forEach((comment, position) => {
      if (comment.index !== position) {
        ctx.addIssue({
          code: 'custom',
          path: ['comments', position, 'index'],
          message: `comment at position ${position} has index ${comment.index}; indices must run 0, 1, 2, …`
        })
      }
    })
  })
export type Discussion = z.infer<typeof DiscussionSchema>
