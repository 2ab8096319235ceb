import { z } from 'zod'
import { CommentSchema, DiscussionSchema } from '../../schema/discussion.js'
import { IdSchema } from '../../schema/ids.js'
import { EngineStepSchema } from './engineStep.js'

const turn = z.number().int().nonnegative()
const step = z.number().int().nonnegative()

/**
 * What `runDiscussion` yields, in order. Every event names its discussion so that a runner can
 * merge the streams of many. Events of replayed steps (resume) are yielded again with
 * `replayed: true`, except `tokens`, which only live generation produces.
 */
export const DiscussionEventSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('turn-started'),
      discussion_id: IdSchema,
      turn,
      step,
      speaker: z.string(),
      role: z.enum(['user', 'moderator']),
      replayed: z.boolean()
    })
    .describe('A speaker is about to be prompted.'),
  z
    .object({ type: z.literal('tokens'), discussion_id: IdSchema, turn, step, text: z.string() })
    .describe('Text streamed by the model for the step in progress; the pieces join to its raw reply.'),
  z
    .object({ type: z.literal('step'), discussion_id: IdSchema, step: EngineStepSchema, replayed: z.boolean() })
    .describe(
      'An LLM call finished. A runner journals non-replayed steps before pulling the next event: the ' +
        'engine makes no further call until then.'
    ),
  z
    .object({ type: z.literal('comment'), discussion_id: IdSchema, comment: CommentSchema, replayed: z.boolean() })
    .describe('A comment entered the log (seed comments, inherited comments and blank moderator replies included).'),
  z
    .object({ type: z.literal('silent-turn'), discussion_id: IdSchema, turn, speaker: z.string(), replayed: z.boolean() })
    .describe('A user turn whose cleaned reply was blank: not logged, not in the history, but it counts as a turn.'),
  z
    .object({
      type: z.literal('moderator-intervention'),
      discussion_id: IdSchema,
      turn,
      comment_index: z.number().int().nonnegative(),
      replayed: z.boolean()
    })
    .describe('The moderator wrote a non-blank comment.'),
  z
    .object({
      type: z.literal('moderator-silent'),
      discussion_id: IdSchema,
      turn,
      /** `policy`: its policy said no; `model-declined`: asked, it said no; `blank-reply`: it replied with nothing. */
      reason: z.enum(['policy', 'model-declined', 'blank-reply']),
      /** The logged blank reply, for `blank-reply`. */
      comment_index: z.number().int().nonnegative().nullable(),
      replayed: z.boolean()
    })
    .describe('The moderator did not intervene after a user comment.'),
  z
    .object({ type: z.literal('discussion-done'), discussion_id: IdSchema, discussion: DiscussionSchema })
    .describe('The discussion is complete; the last event.'),
  z
    .object({ type: z.literal('discussion-cancelled'), discussion_id: IdSchema, step })
    .describe('The signal was aborted; `step` is the first step not completed. The last event.'),
  z
    .object({
      type: z.literal('error'),
      discussion_id: IdSchema,
      step: step.nullable(),
      /** A BackendError code when the backend failed, else null. */
      code: z.string().nullable(),
      message: z.string()
    })
    .describe('The discussion failed; the last event.')
])
export type DiscussionEvent = z.infer<typeof DiscussionEventSchema>
export type DiscussionEventType = DiscussionEvent['type']
