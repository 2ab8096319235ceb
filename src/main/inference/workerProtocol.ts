import { z } from 'zod'
import {
  AnnotationEventPayloadSchema,
  ApiErrorShapeSchema,
  ModelDownloadEventSchema,
  RunEventPayloadSchema,
  WorkspaceChangedSchema
} from '../../shared/index.js'

// The messages between the main process and the inference worker, parsed on both sides: the worker
// owns the model (a `ModelSlot`), the runs and the annotation jobs; main forwards the contract's
// methods that touch the model and republishes the worker's events to the renderer.

/** The contract methods the worker serves: everything that loads, uses or reports on the model. */
export const WORKER_METHODS = [
  'runs.list',
  'runs.start',
  'runs.pause',
  'runs.resume',
  'runs.cancel',
  'runs.status',
  'runs.resumeInterrupted',
  'runs.fork',
  'models.status',
  'models.load',
  'models.unload',
  'models.download',
  'models.makeDemo',
  'annotations.startJob',
  'annotations.cancelJob',
  'demo.start',
  'demo.status'
] as const

export const WorkerMethodSchema = z.enum(WORKER_METHODS)

export type WorkerMethod = z.infer<typeof WorkerMethodSchema>

const RequestId = z.number().int().nonnegative()

/** How the worker's model slot loads models, fixed when main starts it (passed as `workerData.settings`). */
export const WorkerSettingsSchema = z.strictObject({
  threads: z.number().int().min(1).max(256),
  gpu: z.union([z.enum(['auto', 'cuda', 'vulkan']), z.literal(false)]).optional(),
  /** KV-cache sequences per loaded model (discussions generating at once). */
  sequences: z.number().int().min(1).max(256).optional(),
  /** Context per sequence when a load does not say. */
  contextSize: z.number().int().min(64).optional()
})

export type WorkerSettings = z.infer<typeof WorkerSettingsSchema>

/**
 * What main has chosen, sent with every call so that a workspace opened (or a models folder
 * chosen) in main's native dialogs is the one the worker uses from the next call on.
 */
export const WorkerContextSchema = z.strictObject({
  workspacePath: z.string().min(1).nullable(),
  modelsFolder: z.string().min(1).nullable()
})

export type WorkerContext = z.infer<typeof WorkerContextSchema>

export const ToWorkerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('call'), id: RequestId, method: WorkerMethodSchema, input: z.unknown(), context: WorkerContextSchema }),
  /** Pause every run and cancel annotation jobs, give discussions `graceMs` to journal the step in flight, then free the model. */
  z.strictObject({ type: z.literal('shutdown'), id: RequestId, graceMs: z.number().int().nonnegative() })
])

export type ToWorker = z.infer<typeof ToWorkerSchema>

export const ShutdownReportSchema = z.object({
  /** Runs that were active when the shutdown began. */
  runs: z.array(z.string()),
  /** Discussions still generating when the grace period ended (their step in flight was aborted, not lost: resume redoes it). */
  cutShort: z.number().int().nonnegative(),
  /** Annotation jobs cancelled (what they stored stays; running them again annotates the rest). */
  annotationJobs: z.number().int().nonnegative()
})

export type ShutdownReport = z.infer<typeof ShutdownReportSchema>

export const FromWorkerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('result'), id: RequestId, value: z.unknown() }),
  z.strictObject({ type: z.literal('failure'), id: RequestId, error: ApiErrorShapeSchema }),
  z.strictObject({ type: z.literal('run-event'), event: RunEventPayloadSchema }),
  z.strictObject({ type: z.literal('tokens'), stream: z.string().min(1), tokens: z.array(z.string()) }),
  z.strictObject({ type: z.literal('stream-end'), stream: z.string().min(1) }),
  z.strictObject({ type: z.literal('changed'), event: WorkspaceChangedSchema }),
  z.strictObject({ type: z.literal('annotation-event'), event: AnnotationEventPayloadSchema }),
  z.strictObject({ type: z.literal('model-download'), event: ModelDownloadEventSchema })
])

export type FromWorker = z.infer<typeof FromWorkerSchema>
