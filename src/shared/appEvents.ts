import { z } from 'zod'
import { defineEvents } from './eventContract.js'
import { RecordKindSchema } from './records.js'
import { RunEventCursorSchema, SequencedRunEventSchema } from './runEventLog.js'
import { ModelDownloadEventSchema } from './modelsContract.js'
import { AnnotationEventPayloadSchema } from './analysisContract.js'
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
  /**
   * Runs' progress: discussions starting, steps, comments, ends, with the run's counts; numbered,
   * so a subscriber that reconnects with its cursor gets what it missed (no cursor: live only).
   */
  'run.events': { payload: SequencedRunEventSchema, cursor: RunEventCursorSchema.optional() },
  /** Model downloads' progress (throttled) and their end, done or failed. Live only; `models.status` lists them too. */
  'model.download': { payload: ModelDownloadEventSchema, cursor: z.undefined() },
  /** Annotation jobs' progress: each stored annotation, failed discussions, the end, with the job's counts. Live only. */
  'annotation.events': { payload: AnnotationEventPayloadSchema, cursor: z.undefined() }
})

export type AppEvents = typeof appEvents
