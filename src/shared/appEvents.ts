import { z } from 'zod'
import { defineEvents } from './eventContract.js'
import { RecordKindSchema } from './records.js'
import { RunEventPayloadSchema } from './studioContract.js'
import { StreamCursorSchema, TokenBatchesSchema } from './tokenStream.js'

export const WorkspaceChangedSchema = z.object({
  /** Which kinds of record changed; all of them after an import. */
  kinds: z.array(RecordKindSchema)
})

export type WorkspaceChanged = z.infer<typeof WorkspaceChangedSchema>

/** The events a host pushes to the UI. Subscribers validate every payload they receive. */
export const appEvents = defineEvents({
  /** Token batches of every live stream, about every 30 ms; replayable by sequence number. */
  'stream.tokens': { payload: TokenBatchesSchema, cursor: StreamCursorSchema.optional() },
  /** Records were written or deleted through the API; views re-read what they show. */
  'workspace.changed': { payload: WorkspaceChangedSchema, cursor: z.undefined() },
  /** Runs' progress: discussions starting, steps, comments, ends, with the run's counts. Live only. */
  'run.events': { payload: RunEventPayloadSchema, cursor: z.undefined() }
})

export type AppEvents = typeof appEvents
