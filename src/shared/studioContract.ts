import { z } from 'zod'
import { RecordIdSchema, RecordJsonSchema, WorkspaceProblemSchema } from './records.js'

// The contract's methods over core's engines: design previews, annotations and agreement, models
// and hardware, runs, and the app's settings. Spread into `appContract`; written by
// `createStudioMethods` for both hosts. Shapes core declares (designs, annotations, discussion
// specs, run manifests) cross as JSON objects, parsed by the host with core's schemas.

const NoInputSchema = z.strictObject({})
const Count = z.number().int().nonnegative()
const JsonObject = z.looseObject({})

export const DesignPreviewInputSchema = z.strictObject({
  design: RecordJsonSchema,
  /** Generation speed for the estimate; 20 tokens/s when not given. */
  tokensPerSecond: z.number().positive().optional(),
  /** Prompt processing speed for the estimate; 200 tokens/s when not given. */
  promptTokensPerSecond: z.number().positive().optional(),
  /** How many expanded discussion specs to answer (the first ones). */
  limit: z.number().int().min(0).max(1000).default(20)
})

export const DesignPreviewSchema = z.object({
  counts: z.object({
    levels: z.record(z.string(), Count),
    cells: Count,
    replicates: Count,
    discussions: Count
  }),
  estimate: z.object({
    discussions: Count,
    calls: z.number().nonnegative(),
    promptTokens: z.number().nonnegative(),
    generatedTokens: z.number().nonnegative(),
    totalTokens: z.number().nonnegative(),
    seconds: z.number().nonnegative()
  }),
  rates: z.object({ tokensPerSecond: z.number().positive(), promptTokensPerSecond: z.number().positive() }),
  /** The first `limit` discussion specs of the expansion, in order. */
  specs: z.array(JsonObject)
})

export type DesignPreview = z.infer<typeof DesignPreviewSchema>

export const AnnotationListingSchema = z.object({
  items: z.array(JsonObject),
  problems: z.array(WorkspaceProblemSchema)
})

export const AgreementMetricSchema = z.enum(['alpha', 'fleiss', 'ac1', 'cohen', 'percent'])
export const MeasurementLevelSchema = z.enum(['nominal', 'ordinal', 'interval', 'ratio'])

export const AgreementInputSchema = z.strictObject({
  label: z.string().min(1).max(256),
  metric: AgreementMetricSchema.default('alpha'),
  level: MeasurementLevelSchema.default('nominal')
})

export const AgreementSchema = z.object({
  value: z.number(),
  /** Annotated comments with a value for the label. */
  units: Count,
  /** Annotator names, sorted. */
  annotators: z.array(z.string())
})

export type Agreement = z.infer<typeof AgreementSchema>

export const ModelListingItemSchema = z.object({
  path: z.string(),
  fileName: z.string(),
  sizeBytes: z.number().nonnegative().nullable(),
  modifiedMs: z.number().nullable(),
  metadata: JsonObject.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable()
})

export const ModelsListingSchema = z.object({
  /** The folder listed; null when the host has none (desktop: none chosen yet). */
  folder: z.string().nullable(),
  models: z.array(ModelListingItemSchema)
})

export type ModelsListing = z.infer<typeof ModelsListingSchema>

export const HardwareInfoSchema = z.object({
  /** The compute backend of the loaded llama.cpp binary, or false for CPU only. */
  gpu: z.union([z.string(), z.literal(false)]),
  gpuDevices: z.array(z.string()),
  vram: z.object({ totalBytes: z.number(), usedBytes: z.number(), freeBytes: z.number() }),
  ram: z.object({ totalBytes: z.number(), freeBytes: z.number() }),
  cpuCores: Count,
  cpuMathCores: Count,
  buildType: z.string()
})

export const RunCountsSchema = z.object({
  total: Count,
  finished: Count,
  failed: Count,
  cancelled: Count,
  /** Not ended yet (queued, running, paused, or interrupted). */
  pending: Count
})

export type RunCounts = z.infer<typeof RunCountsSchema>

export const RunSummarySchema = z.object({
  id: RecordIdSchema,
  /** `runs/<id>/manifest.json`, or null when it is missing or unreadable. */
  manifest: JsonObject.nullable(),
  counts: RunCountsSchema,
  /** True while this host is generating it. */
  active: z.boolean(),
  problems: z.array(z.string())
})

export type RunSummary = z.infer<typeof RunSummarySchema>

const RunTargetSchema = z.strictObject({ runId: RecordIdSchema, discussionId: RecordIdSchema.optional() })

export const ThemeSchema = z.enum(['light', 'dark', 'system'])

/** The app's own settings, stored in `<workspace>/sdf-settings.json`. */
export const AppSettingsSchema = z.object({
  /** A model file name (in the models folder) the app loads by default, or null. */
  defaultModel: z.string().min(1).max(1024).nullable().default(null),
  concurrency: z.number().int().min(1).max(64).default(1),
  theme: ThemeSchema.default('system')
})

export type AppSettings = z.infer<typeof AppSettingsSchema>

export const studioMethodSpecs = {
  /** Counts, a time and token estimate, and the first expanded discussion specs of a design (saved or not). */
  'designs.preview': { input: DesignPreviewInputSchema, output: DesignPreviewSchema },
  /** A discussion's annotations, as stored. */
  'annotations.list': { input: z.strictObject({ discussionId: RecordIdSchema }), output: AnnotationListingSchema },
  /** An agreement coefficient for one label over every linked annotation of the workspace. */
  'agreement.compute': { input: AgreementInputSchema, output: AgreementSchema },
  /** The GGUF files of the host's models folder, with their header metadata. */
  'models.list': { input: NoInputSchema, output: ModelsListingSchema },
  /** The machine's compute resources, as llama.cpp sees them (loads llama.cpp on first call). */
  'hardware.info': { input: NoInputSchema, output: HardwareInfoSchema },
  /** Every run folder of the workspace, with its manifest and a summary of its journal. */
  'runs.list': { input: NoInputSchema, output: z.object({ runs: z.array(RunSummarySchema) }) },
  /** Starts a run of a saved design on the host's loaded model; progress comes as `run.events` and `stream.tokens`. */
  'runs.start': {
    input: z.strictObject({ designId: RecordIdSchema, concurrency: z.number().int().min(1).max(64).default(1) }),
    output: z.object({ runId: RecordIdSchema, discussionIds: z.array(RecordIdSchema) })
  },
  'runs.pause': { input: RunTargetSchema, output: z.object({ ok: z.literal(true) }) },
  'runs.resume': { input: RunTargetSchema, output: z.object({ ok: z.literal(true) }) },
  'runs.cancel': { input: RunTargetSchema, output: z.object({ ok: z.literal(true) }) },
  'settings.get': { input: NoInputSchema, output: AppSettingsSchema },
  /** Replaces the settings (missing fields take their defaults); answers them as stored. */
  'settings.put': { input: z.strictObject({ settings: AppSettingsSchema }), output: AppSettingsSchema }
} as const

export const RunEventKindSchema = z.enum([
  'discussion-started',
  'turn-started',
  'step',
  'comment',
  'discussion-paused',
  'discussion-resumed',
  'discussion-finished',
  'discussion-failed',
  'discussion-cancelled',
  'run-finished'
])

/** One event of a run, as `run.events` carries it; tokens go to `stream.tokens` as `<runId>/<discussionId>`. */
export const RunEventPayloadSchema = z.object({
  kind: RunEventKindSchema,
  runId: RecordIdSchema,
  discussionId: RecordIdSchema.nullable(),
  /** The step number, for `step` and `turn-started`. */
  step: z.number().int().nonnegative().nullable(),
  /** The comment, for `comment`. */
  comment: JsonObject.nullable(),
  /** Why, for `discussion-failed`. */
  reason: z.string().nullable(),
  /** The run's counts after this event. */
  progress: RunCountsSchema
})

export type RunEventPayload = z.infer<typeof RunEventPayloadSchema>

/** The stream id of a discussion's tokens in `stream.tokens`. */
export function runStreamId(runId: string, discussionId: string): string {
  return `${runId}/${discussionId}`
}
