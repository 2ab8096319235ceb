import { z } from 'zod'

/**
 * The one interface every inference backend implements (llama.cpp in-process, OpenAI-compatible
 * servers). Discussions and annotators only ever talk to this.
 */
export const ChatMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string()
})
export type ChatMessage = z.infer<typeof ChatMessageSchema>

export const SamplingSchema = z.object({
  temperature: z.number().min(0).max(5).optional(),
  topP: z.number().min(0).max(1).optional(),
  topK: z.number().int().min(0).optional(),
  minP: z.number().min(0).max(1).optional(),
  repeatPenalty: z.number().min(0).optional(),
  seed: z.number().int().optional()
})
export type Sampling = z.infer<typeof SamplingSchema>

/**
 * `chat-template`: the model's own chat template. `sdf-alpaca`: the raw text SDF v0 sent through
 * llama-cpp-python's "alpaca" format (spec §2.5), for replication studies.
 */
export const PromptFormatSchema = z.enum(['chat-template', 'sdf-alpaca'])
export type PromptFormat = z.infer<typeof PromptFormatSchema>

export const GenerationRequestSchema = z.object({
  messages: z.array(ChatMessageSchema).min(1),
  maxTokens: z.number().int().positive(),
  sampling: SamplingSchema.default({}),
  stop: z.array(z.string().min(1)).default([]),
  /** A JSON schema the output must follow (constrained decoding where the backend can). */
  jsonSchema: z.record(z.string(), z.unknown()).optional(),
  promptFormat: PromptFormatSchema.default('chat-template'),
  /**
   * A stable key for a long-lived speaker (one agent in one discussion). Backends that keep state
   * use it to reuse that speaker's evaluated prompt prefix on its next turn.
   */
  agentKey: z.string().optional()
})
export type GenerationRequest = z.input<typeof GenerationRequestSchema>

export const StopReasonSchema = z.enum(['end-of-text', 'max-tokens', 'stop-string', 'aborted'])

export const GenerationStatsSchema = z.object({
  /** Prompt tokens evaluated for this request (excluding reused ones). */
  promptTokens: z.number().int().nonnegative(),
  /** Prompt tokens whose evaluation was reused from cache. */
  reusedPromptTokens: z.number().int().nonnegative(),
  generatedTokens: z.number().int().nonnegative(),
  timeToFirstTokenMs: z.number().nonnegative().nullable(),
  tokensPerSecond: z.number().nonnegative(),
  durationMs: z.number().nonnegative(),
  stopReason: StopReasonSchema,
  /** Set when the prompt did not fit the context and history was dropped to make it fit. */
  trimmed: z
    .object({ removedMessages: z.number().int().nonnegative(), removedTokens: z.number().int().nonnegative() })
    .nullable()
})
export type GenerationStats = z.infer<typeof GenerationStatsSchema>

export interface GenerationResult {
  text: string
  stats: GenerationStats
  /** With `jsonSchema`: the parsed output, already validated against the schema. */
  json?: unknown
}

export interface GenerateCallbacks {
  /** Called with each new piece of text, in order; the pieces join to `result.text`. */
  onTokens?: (text: string) => void
  signal?: AbortSignal
}

/**
 * Something went wrong but the backend carried on, e.g. the GPU binary failed and it fell back to
 * the CPU. Hosts show these to the user and record them with a run.
 */
export interface BackendWarning {
  readonly code: BackendErrorCode
  readonly message: string
}

export interface InferenceBackend {
  readonly kind: 'llama.cpp' | 'openai'
  /** The model's display name, recorded with every comment. */
  readonly modelName: string
  /** Problems the backend recovered from while starting (empty when none). */
  readonly warnings?: readonly BackendWarning[]
  generate(request: GenerationRequest, callbacks?: GenerateCallbacks): Promise<GenerationResult>
  /** Forget the cached state kept for one agent (its discussion finished). */
  releaseAgent?(agentKey: string): void
  dispose(): Promise<void>
}

export type BackendErrorCode =
  | 'model-not-found'
  | 'model-invalid'
  | 'gpu-unavailable'
  | 'context-overflow'
  | 'invalid-request'
  | 'server-unauthorized'
  | 'server-rate-limited'
  | 'server-error'
  | 'network'
  | 'invalid-output'
  | 'aborted'
  | 'disposed'

/** A backend failure with a code a UI can act on and a message a person can read. */
export class BackendError extends Error {
  override readonly name = 'BackendError'
  /** For 'invalid-output': the model's raw text, for the user to inspect. */
  readonly rawOutput?: string
  constructor(
    readonly code: BackendErrorCode,
    message: string,
    options?: { cause?: unknown; rawOutput?: string }
  ) {
    super(message, options)
    if (options?.rawOutput !== undefined) this.rawOutput = options.rawOutput
  }
}
