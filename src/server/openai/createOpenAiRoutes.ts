import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { z } from 'zod'
import {
  BackendError,
  type ChatMessage,
  type GenerationRequest,
  type GenerationResult,
  type InferenceBackend,
  type Sampling
} from '../../core/index.js'
import { alpacaMessagesFromPrompt } from './alpacaMessagesFromPrompt.js'
import { describeIssues, openAiErrorFor, sendOpenAiError } from './openAiErrors.js'
import { ChatCompletionRequestSchema, CompletionRequestSchema, type ChatCompletionRequest, type CompletionRequest } from './openAiRequests.js'

export interface OpenAiRoutesOptions {
  readonly backend: InferenceBackend
  /** The id listed at /v1/models (the backend's model name is accepted too). Default: the backend's model name. */
  readonly modelId?: string
  /** Tokens per request (prompt + answer), for the default `max_tokens`. */
  readonly contextSize?: number
  /** Biggest accepted request body. Default 16 MiB. */
  readonly maxBodyBytes?: number
}

export interface OpenAiRoutes {
  readonly modelId: string
  /** True for the paths these routes answer: /v1 and everything under it. */
  owns(path: string): boolean
  /** Answers one request; `authorized` is the host's own token check. */
  handle(request: IncomingMessage, response: ServerResponse, path: string, authorized: boolean): void
  /** Stops every generation in flight (the server is closing). */
  close(): void
}

type Kind = 'chat' | 'text'

const DEFAULT_MAX_TOKENS = 512
const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024

/**
 * The loaded model as an OpenAI-compatible API: `GET /v1/models`, `POST /v1/chat/completions`
 * (the model's chat template) and `POST /v1/completions` (a raw prompt in SDF's alpaca format),
 * streamed as Server-Sent Events or answered whole. The API key is the server's access token.
 *
 * A streamed answer's headers wait for its first piece, so a request the backend refuses (too long
 * for the context, a schema it cannot enforce) still gets a proper status code. A client that goes
 * away aborts its generation, freeing the sequence at once.
 *
 * JSON (`response_format`): the backend constrains, validates and retries; when even its retry does
 * not validate, the raw text is answered as the completion, as any constrained server would answer
 * what the model wrote, and the client's own validation reports it.
 */
export function createOpenAiRoutes(options: OpenAiRoutesOptions): OpenAiRoutes {
  const { backend } = options
  const modelId = options.modelId ?? backend.modelName
  const created = Math.floor(Date.now() / 1000)
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const defaultMaxTokens =
    options.contextSize === undefined ? DEFAULT_MAX_TOKENS : Math.max(1, Math.min(DEFAULT_MAX_TOKENS, Math.floor(options.contextSize / 2)))
  const inFlight = new Set<AbortController>()

  const modelObject = { id: modelId, object: 'model', created, owned_by: 'sdf-studio' }
  const routes: Record<string, { method: string; run: (request: IncomingMessage, response: ServerResponse) => void | Promise<void> }> = {
    '/v1/models': { method: 'GET', run: (_request, response) => sendJson(response, 200, { object: 'list', data: [modelObject] }) },
    [`/v1/models/${encodeURIComponent(modelId)}`]: { method: 'GET', run: (_request, response) => sendJson(response, 200, modelObject) },
    '/v1/chat/completions': { method: 'POST', run: (request, response) => complete(request, response, 'chat') },
    '/v1/completions': { method: 'POST', run: (request, response) => complete(request, response, 'text') }
  }

  async function complete(request: IncomingMessage, response: ServerResponse, kind: Kind): Promise<void> {
    const body = await readJsonBody(request, response, maxBodyBytes)
    if (body === undefined) return
    const parsed = (kind === 'chat' ? ChatCompletionRequestSchema : CompletionRequestSchema).safeParse(body)
    if (!parsed.success) {
      const { message, param } = describeIssues(parsed.error as z.ZodError)
      return sendOpenAiError(response, 400, { message, type: 'invalid_request_error', code: 'invalid_request', param })
    }
    const input = parsed.data
    if (input.model !== modelId && input.model !== backend.modelName) {
      return sendOpenAiError(response, 404, {
        message: `The model "${input.model}" does not exist on this server; it serves "${modelId}" (see GET /v1/models)`,
        type: 'invalid_request_error',
        code: 'model_not_found',
        param: 'model'
      })
    }
    const generation = toGenerationRequest(input, kind, defaultMaxTokens)
    if (typeof generation === 'string') {
      return sendOpenAiError(response, 400, { message: generation, type: 'invalid_request_error', code: 'invalid_request', param: 'prompt' })
    }

    const controller = new AbortController()
    response.on('close', () => {
      if (!response.writableFinished) controller.abort()
    })
    inFlight.add(controller)
    const id = `${kind === 'chat' ? 'chatcmpl' : 'cmpl'}-${randomBytes(12).toString('hex')}`
    const shape = new ChunkShape(kind, id, modelId)
    const stream = input.stream === true ? new SseAnswer(response, shape, input.stream_options?.include_usage === true) : null
    try {
      let result: GenerationResult
      try {
        result = await backend.generate(generation, { signal: controller.signal, ...(stream ? { onTokens: (text: string) => stream.piece(text) } : {}) })
      } catch (error) {
        if (!(error instanceof BackendError) || error.code !== 'invalid-output' || error.rawOutput === undefined) throw error
        result = rawOutputResult(error.rawOutput)
      }
      if (result.stats.stopReason === 'aborted') {
        // The client left (nobody to answer) or the server is closing (it ends the connection).
        if (!response.writableEnded) response.end()
        return
      }
      if (stream) stream.finish(result)
      else sendJson(response, 200, shape.whole(result))
    } catch (error) {
      const message = error instanceof BackendError ? error.message : `internal error: ${(error as Error).message}`
      if (stream?.started) return stream.fail(message)
      const { status, type, code } =
        error instanceof BackendError ? openAiErrorFor(error) : { status: 500, type: 'server_error' as const, code: 'internal_error' }
      sendOpenAiError(response, status, { message, type, code })
    } finally {
      inFlight.delete(controller)
    }
  }

  return {
    modelId,
    owns: (path) => path === '/v1' || path.startsWith('/v1/'),
    handle(request, response, path, authorized) {
      if (!authorized) {
        return sendOpenAiError(
          response,
          401,
          {
            message: 'this SDF Studio server needs its access token as the API key (Authorization: Bearer <token>); sdf serve printed it at startup',
            type: 'authentication_error',
            code: 'invalid_api_key'
          },
          { 'WWW-Authenticate': 'Bearer realm="sdf-studio"' }
        )
      }
      const route = routes[path]
      if (route === undefined) {
        return sendOpenAiError(response, 404, {
          message: `Unknown request URL: ${request.method} ${path}. This server answers GET /v1/models, POST /v1/chat/completions and POST /v1/completions`,
          type: 'invalid_request_error',
          code: 'unknown_url'
        })
      }
      if (request.method !== route.method) {
        return sendOpenAiError(
          response,
          405,
          { message: `${path} takes ${route.method}, not ${request.method}`, type: 'invalid_request_error', code: 'method_not_allowed' },
          { Allow: route.method }
        )
      }
      Promise.resolve(route.run(request, response)).catch((error: unknown) =>
        sendOpenAiError(response, 500, { message: `internal error: ${(error as Error).message}`, type: 'server_error', code: 'internal_error' })
      )
    },
    close() {
      for (const controller of inFlight) controller.abort()
    }
  }
}

/** The OpenAI request as the backend's; a string is the reason it cannot be served. */
function toGenerationRequest(input: ChatCompletionRequest | CompletionRequest, kind: Kind, defaultMaxTokens: number): GenerationRequest | string {
  let messages: ChatMessage[]
  if (kind === 'chat') {
    messages = (input as ChatCompletionRequest).messages.map((message) => ({
      role: message.role === 'developer' ? 'system' : message.role,
      content: typeof message.content === 'string' ? message.content : (message.content ?? []).map((part) => part.text).join('')
    }))
  } else {
    const raw = (input as CompletionRequest).prompt
    const prompt = typeof raw === 'string' ? raw : raw[0]!
    const recovered = alpacaMessagesFromPrompt(prompt)
    if (recovered === null) {
      return (
        'this server takes /v1/completions prompts in SDF\'s alpaca format (as its "sdf-alpaca" prompt format renders them: ' +
        'ending in a blank line, "### Instruction:" or "### Response:" turns); use /v1/chat/completions for chat'
      )
    }
    messages = recovered
  }
  const sampling: Sampling = {}
  if (input.temperature != null) sampling.temperature = input.temperature
  if (input.top_p != null) sampling.topP = input.top_p
  if (input.top_k != null) sampling.topK = input.top_k
  if (input.min_p != null) sampling.minP = input.min_p
  const repeatPenalty = input.repeat_penalty ?? input.repetition_penalty
  if (repeatPenalty != null) sampling.repeatPenalty = repeatPenalty
  if (input.seed != null) sampling.seed = input.seed
  const stop = (typeof input.stop === 'string' ? [input.stop] : (input.stop ?? [])).filter((text) => text.length > 0)
  const format = input.response_format
  const jsonSchema =
    format?.type === 'json_schema'
      ? format.json_schema.schema
      : format?.type === 'json_object'
        ? { type: 'object', additionalProperties: true }
        : undefined
  return {
    messages,
    maxTokens: input.max_completion_tokens ?? input.max_tokens ?? defaultMaxTokens,
    sampling,
    stop,
    promptFormat: kind === 'chat' ? 'chat-template' : 'sdf-alpaca',
    ...(jsonSchema === undefined ? {} : { jsonSchema })
  }
}

/** What the model wrote when it did not validate: answered as is; a cut-off value most likely ran out of tokens. */
function rawOutputResult(text: string): GenerationResult {
  let complete = true
  try {
    JSON.parse(text)
  } catch {
    complete = false
  }
  return {
    text,
    stats: {
      promptTokens: 0,
      reusedPromptTokens: 0,
      generatedTokens: 0,
      timeToFirstTokenMs: null,
      tokensPerSecond: 0,
      durationMs: 0,
      stopReason: complete ? 'end-of-text' : 'max-tokens',
      trimmed: null
    }
  }
}

/** The response objects of one answer, in OpenAI's shapes for chat and for text completions. */
class ChunkShape {
  private readonly created = Math.floor(Date.now() / 1000)
  constructor(
    readonly kind: Kind,
    private readonly id: string,
    private readonly model: string
  ) {}

  chunk(choice: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { id: this.id, object: this.kind === 'chat' ? 'chat.completion.chunk' : 'text_completion', created: this.created, model: this.model, choices: [choice], ...extra }
  }

  piece(text: string): Record<string, unknown> {
    return { index: 0, ...(this.kind === 'chat' ? { delta: { content: text } } : { text }), logprobs: null, finish_reason: null }
  }

  whole(result: GenerationResult): Record<string, unknown> {
    const content = this.kind === 'chat' ? { message: { role: 'assistant', content: result.text } } : { text: result.text }
    return {
      id: this.id,
      object: this.kind === 'chat' ? 'chat.completion' : 'text_completion',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, ...content, logprobs: null, finish_reason: finishReason(result) }],
      usage: usageOf(result)
    }
  }
}

/** One streamed answer. Headers go out with the first piece, so an early failure can still get its status code. */
class SseAnswer {
  started = false
  private sentText = false

  constructor(
    private readonly response: ServerResponse,
    private readonly shape: ChunkShape,
    private readonly includeUsage: boolean
  ) {}

  piece(text: string): void {
    this.start()
    if (text !== '') this.sentText = true
    this.send(this.shape.chunk(this.shape.piece(text), this.usageField()))
  }

  finish(result: GenerationResult): void {
    this.start()
    if (result.text !== '' && !this.sentText) this.send(this.shape.chunk(this.shape.piece(result.text), this.usageField()))
    const last = this.shape.kind === 'chat' ? { index: 0, delta: {}, logprobs: null, finish_reason: finishReason(result) } : { index: 0, text: '', logprobs: null, finish_reason: finishReason(result) }
    this.send(this.shape.chunk(last, this.usageField()))
    if (this.includeUsage) this.send({ ...this.shape.chunk({}), choices: [], usage: usageOf(result) })
    if (!this.response.destroyed) this.response.end('data: [DONE]\n\n')
  }

  /** A failure after the headers went out: OpenAI-style error event, then the end (no [DONE]: the answer is not complete). */
  fail(message: string): void {
    if (this.response.writableEnded || this.response.destroyed) return
    this.response.end(`data: ${JSON.stringify({ error: { message, type: 'server_error', param: null, code: 'generation_failed' } })}\n\n`)
  }

  private start(): void {
    if (this.started) return
    this.started = true
    this.response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      // Reverse proxies (nginx) would otherwise hold the stream back.
      'X-Accel-Buffering': 'no'
    })
    if (this.shape.kind === 'chat') this.send(this.shape.chunk({ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }, this.usageField()))
  }

  private send(value: Record<string, unknown>): void {
    if (!this.response.writableEnded && !this.response.destroyed) this.response.write(`data: ${JSON.stringify(value)}\n\n`)
  }

  private usageField(): Record<string, unknown> {
    return this.includeUsage ? { usage: null } : {}
  }
}

function finishReason(result: GenerationResult): 'stop' | 'length' {
  return result.stats.stopReason === 'max-tokens' ? 'length' : 'stop'
}

function usageOf(result: GenerationResult) {
  const { promptTokens, reusedPromptTokens, generatedTokens } = result.stats
  const prompt = promptTokens + reusedPromptTokens
  return {
    prompt_tokens: prompt,
    completion_tokens: generatedTokens,
    total_tokens: prompt + generatedTokens,
    prompt_tokens_details: { cached_tokens: reusedPromptTokens }
  }
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }).end(JSON.stringify(value))
}

/** The body as JSON, or undefined once an error has been answered (too big, not JSON, the client left). */
async function readJsonBody(request: IncomingMessage, response: ServerResponse, limit: number): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of request) {
      size += (chunk as Buffer).length
      if (size > limit) {
        sendOpenAiError(
          response,
          413,
          { message: `the request body is larger than ${limit} bytes`, type: 'invalid_request_error', code: 'request_too_large' },
          { Connection: 'close' }
        )
        request.destroy()
        return undefined
      }
      chunks.push(chunk as Buffer)
    }
  } catch {
    return undefined
  }
  const text = Buffer.concat(chunks).toString('utf8')
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    sendOpenAiError(response, 400, {
      message: `the request body is not JSON: ${(error as Error).message}`,
      type: 'invalid_request_error',
      code: 'invalid_json'
    })
    return undefined
  }
}
