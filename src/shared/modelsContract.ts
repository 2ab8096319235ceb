import { z } from 'zod'

// The contract's methods for the model a host runs on: which one is loaded, loading one from the
// models folder by file name (never a path), unloading, downloads with progress as `model.download`
// events, and the demo model. Spread into `appContract`; written by `createModelsMethods`.

const NoInputSchema = z.strictObject({})
const Count = z.number().int().nonnegative()

export const LoadedModelSchema = z.object({
  fileName: z.string().min(1),
  /** Where the host read it (for display; no method takes a path). */
  path: z.string().min(1),
  /** Layers offloaded to the GPU; 0 on the CPU. */
  gpuLayers: Count,
  /** Tokens per sequence (prompt + reply). */
  contextSize: Count,
  /** Requests the model serves at once. */
  sequences: Count,
  backend: z.enum(['llama.cpp', 'openai']),
  /** The compute backend (`cuda`, `vulkan`, `metal`), or false for the CPU. */
  gpu: z.union([z.string(), z.literal(false)]),
  modelName: z.string(),
  /** The random-weight demo model: it produces meaningless text. */
  isDemo: z.boolean(),
  /** A run or a generation is using it: it cannot be unloaded or replaced now. */
  inUse: z.boolean()
})

export type LoadedModel = z.infer<typeof LoadedModelSchema>

export const ModelDownloadStateSchema = z.enum(['running', 'done', 'failed'])

/** One download's progress: the `model.download` event, and an entry of `models.status`. */
export const ModelDownloadEventSchema = z.object({
  downloadId: z.string().min(1),
  source: z.string(),
  /** The file in the models folder: a guess from the source while running, exact when done; null when unknown. */
  fileName: z.string().nullable(),
  receivedBytes: Count,
  totalBytes: Count.nullable(),
  state: ModelDownloadStateSchema,
  /** Why it failed, for `failed`. */
  error: z.string().nullable()
})

export type ModelDownloadEvent = z.infer<typeof ModelDownloadEventSchema>

export const ModelsStatusSchema = z.object({
  /** The model runs generate on, or null when none is loaded. */
  loaded: LoadedModelSchema.nullable(),
  /** Downloads running now and the last ones that ended, oldest first (a page opened mid-download draws them). */
  downloads: z.array(ModelDownloadEventSchema)
})

export type ModelsStatus = z.infer<typeof ModelsStatusSchema>

/** A file directly in the models folder; the host refuses paths (`/`, `\\`, `..`) with a message saying so. */
export const ModelFileNameSchema = z.string().min(1).max(255)

export const ModelLoadInputSchema = z.strictObject({
  fileName: ModelFileNameSchema,
  /** Layers to offload to the GPU: a number, or `auto` (as many as fit). Default `auto`. */
  gpuLayers: z.union([z.number().int().min(0).max(10_000), z.literal('auto')]).optional(),
  /** Tokens per sequence; default 4096, or the model's trained length when smaller. */
  contextSize: z.number().int().min(128).max(1_048_576).optional()
})

export const ModelDownloadInputSchema = z.strictObject({
  /** An `https://` link to a GGUF file, or `hf:<user>/<repo>/<file>.gguf` (or `hf:<user>/<repo>:<quant>`). */
  source: z.string().min(1).max(2048)
})

export const modelsMethodSpecs = {
  /** Which model is loaded (and whether it is in use), and the downloads. */
  'models.status': { input: NoInputSchema, output: ModelsStatusSchema },
  /** Loads a model from the models folder in place of the current one; refused (`unavailable`) while a run uses it. */
  'models.load': { input: ModelLoadInputSchema, output: ModelsStatusSchema },
  /** Unloads the model; refused (`unavailable`) while a run uses it. */
  'models.unload': { input: NoInputSchema, output: ModelsStatusSchema },
  /** Starts downloading a model into the models folder; progress comes as `model.download` events. */
  'models.download': {
    input: ModelDownloadInputSchema,
    output: z.object({ downloadId: z.string().min(1), fileName: z.string().nullable() })
  },
  /** Writes the tiny random-weight demo model into the models folder (if missing); its text is meaningless. */
  'models.makeDemo': {
    input: NoInputSchema,
    output: z.object({ fileName: z.string().min(1), created: z.boolean(), notice: z.string() })
  }
} as const
