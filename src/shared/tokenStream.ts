import { z } from 'zod'

/**
 * A stream is the text one model call produces, token by token (later: one discussion turn). Ids
 * must never be reused while a host runs: readers drop tokens they think they already have.
 */
export const StreamIdSchema = z.string().min(1).max(200)

const SeqSchema = z.number().int().nonnegative()

/**
 * Consecutive tokens of one stream. Every token has a sequence number, counted per stream from 0;
 * a batch carries the number of its first token, so a reader can tell new tokens from ones it
 * already has, and a gap from a pause.
 */
export const TokenBatchSchema = z.object({
  stream: StreamIdSchema,
  /** Sequence number of `tokens[0]` (or, for an empty final batch, of the token that never came). */
  from: SeqSchema,
  tokens: z.array(z.string()),
  /** True on the stream's last batch: no token will follow. */
  done: z.boolean()
})

export type TokenBatch = z.infer<typeof TokenBatchSchema>

/** What one flush of the coalescer sends: the batches of every stream that moved in that window. */
export const TokenBatchesSchema = z.object({ batches: z.array(TokenBatchSchema) })

export type TokenBatches = z.infer<typeof TokenBatchesSchema>

/**
 * How far a subscriber has read: for each stream it knows, the sequence number of the next token it
 * needs. Streams it does not name are replayed from the oldest token the host still holds.
 */
export const StreamCursorSchema = z.record(StreamIdSchema, SeqSchema)

export type StreamCursor = z.infer<typeof StreamCursorSchema>
