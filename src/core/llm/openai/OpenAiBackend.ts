import {
  BackendError,
  GenerationRequestSchema,
  type BackendWarning,
  type ChatMessage,
  type GenerateCallbacks,
  type GenerationRequest,
  type GenerationResult,
  type GenerationStats,
  type InferenceBackend
} from '../backend.js'
import { compileJsonValidator, type JsonOutputValidator } from '../jsonOutputValidator.js'
import { renderAlpacaPrompt } from '../renderAlpacaPrompt.js'
import { StopStringMatcher } from '../stopStringMatcher.js'
import { EndpointPool, type EndpointState, type OpenAiEndpoint, type OpenAiJsonMode, type ResolvedJsonMode } from './EndpointPool.js'
import { errorForStatus, serverMessage } from './errorForStatus.js'
import { stripCodeFence, withJsonInstruction } from './jsonOutputInstruction.js'
import { parseSseStream } from './parseSseStream.js'
import { backoffDelay, retryAfterMs, sleep } from './retryDelay.js'
import { Semaphore } from './Semaphore.js'

export interface OpenAiBackendOptions {
  /** One or more servers serving the same model; requests go to them in turn. */
  readonly endpoints: readonly OpenAiEndpoint[]
  /** The model id the server knows (`model` in the request body). */
  readonly model: string
  /** Recorded with every comment; defaults to `model`. */
  readonly modelName?: string
  /** Requests in flight at once, over all endpoints; the rest wait. Default 4. */
  readonly concurrency?: number
  /**
   * How long to wait for the answer to begin and, when streaming, for each next piece of it;
   * without streaming it bounds the whole answer. Default 300 000 ms.
   */
  readonly timeoutMs?: number
  /** Retries after 429, 5xx and connection errors, and only before any text reached the caller. Default 3. */
  readonly retries?: number
  /** Default 'auto': json_schema, then json_object, then instructions in the prompt, as each server allows. */
  readonly jsonMode?: OpenAiJsonMode
  /** Stream the answer (Server-Sent Events). Default true. */
  readonly stream?: boolean
  /** First backoff delay; it doubles per retry (up to 10 s) with ±50% jitter. Default 500 ms. */
  readonly retryBaseDelayMs?: number
  /** How long an endpoint whose connection failed is skipped. Default 30 000 ms. */
  readonly coolOffMs?: number
  /** A 429 asking for a longer wait than this fails at once instead. Default 60 000 ms. */
  readonly maxRetryAfterMs?: number
  /** Extra fields for every request body (server-specific options); they override ours. */
  readonly extraBody?: Readonly<Record<string, unknown>>
}

/** What the backend talks to, for provenance and the UI; never the API keys. */
export interface OpenAiBackendInfo {
  readonly endpoints: readonly string[]
  readonly model: string
}

type ParsedRequest = ReturnType<typeof GenerationRequestSchema.parse>

interface Usage {
  readonly promptTokens: number
  readonly cachedTokens: number
  readonly completionTokens: number
}

/** One answer as read from a server. */
interface Answer {
  text: string
  finishReason: string | null
  /** The server says a stop string ended the answer (vLLM's `stop_reason`, llama-server's `stopping_word`). */
  serverStopString: boolean
  /** Our own matcher cut the text at a stop string. */
  stopStringHit: boolean
  usage: Usage | null
  /** Pieces of text received: the token count when the server reports no usage. */
  pieces: number
  /** llama-server's own decode speed (`timings.predicted_per_second`), when it sends it. */
  serverTokensPerSecond: number | null
  requestedAt: number
  firstTokenAt: number | null
  lastTokenAt: number | null
  finishedAt: number
  aborted: boolean
}

interface Ask {
  readonly jsonSchema: Record<string, unknown> | undefined
  readonly seed: number | undefined
  /** Pass pieces to `onTokens` as they come (plain text), or not at all (JSON, validated first). */
  readonly deliver: boolean
}

interface Call {
  readonly req: ParsedRequest
  readonly startedAt: number
  /** The caller's signal, or dispose. */
  readonly signal: AbortSignal
  readonly onTokens: ((text: string) => void) | undefined
  /** Text has reached the caller: from here on a failure must not be retried, or the caller would get it twice. */
  delivered: boolean
}

/** An attempt that failed: the error for the caller, and whether another attempt could succeed. */
class AttemptFailure extends Error {
  constructor(
    readonly error: BackendError,
    /** 'now': the request changed (a feature the server refused is dropped); 'backoff': the server may recover. */
    readonly retry: 'now' | 'backoff' | 'never',
    readonly retryAfterMs: number | null = null
  ) {
    super(error.message)
  }
}

const DEFAULT_CONCURRENCY = 4
const DEFAULT_TIMEOUT_MS = 300_000
const DEFAULT_RETRIES = 3
const DEFAULT_RETRY_BASE_DELAY_MS = 500
const MAX_RETRY_DELAY_MS = 10_000
const DEFAULT_COOL_OFF_MS = 30_000
const DEFAULT_MAX_RETRY_AFTER_MS = 60_000
const MODELS_LOOKUP_TIMEOUT_MS = 5_000
const JSON_ATTEMPTS = 2
const MAX_ERROR_BODY = 64 * 1024

const JSON_MODE_FALLBACK: Record<ResolvedJsonMode, ResolvedJsonMode | null> = { json_schema: 'json_object', json_object: 'prompt', prompt: null }
const JSON_MODE_RANK: Record<ResolvedJsonMode, number> = { json_schema: 0, json_object: 1, prompt: 2 }
const REJECTS_JSON_MODE = /response_format|json_schema|json_object|structured output|guided|grammar/i
const REJECTS_STREAM_OPTIONS = /stream_options|include_usage/i
const REJECTS_SAMPLING_EXTRAS = /top_k|min_p|repeat_penalty|repetition_penalty/i

/** Builds a backend for OpenAI-compatible servers (vLLM, llama-server, Ollama, LM Studio); nothing is sent until the first request. */
export function createOpenAiBackend(options: OpenAiBackendOptions): OpenAiBackend {
  return new OpenAiBackend(options)
}

/**
 * Inference through OpenAI-compatible HTTP servers: `/chat/completions` for the chat template
 * (the server applies its model's template), `/completions` with the raw text for 'sdf-alpaca'
 * (a chat endpoint would wrap the alpaca text in the server's template).
 *
 * Retries: 429 (after Retry-After), 5xx, connection errors and broken streams are retried with
 * exponential backoff and jitter, each time on the next endpoint — but only until the first piece
 * of text has reached `onTokens`; after that a retry would repeat text the caller already has, so
 * the failure is reported instead. A server that rejects `stream_options`, the non-OpenAI sampling
 * fields or a JSON `response_format` is asked again at once without it, and the endpoint remembers.
 *
 * Aborting: while waiting for a free slot, `generate` rejects with BackendError 'aborted'; once a
 * request is under way the HTTP request is cancelled at once and it resolves with the text so far
 * and stopReason 'aborted'.
 *
 * Stats: token counts come from the server's `usage` (with `cached_tokens` as reused prompt
 * tokens). A server that reports no usage leaves promptTokens at 0 and generatedTokens counting
 * the streamed pieces (usually one token each). `timeToFirstTokenMs` counts from the call;
 * `tokensPerSecond` is the decode speed after the first piece (without streaming: tokens over the
 * whole request, prompt included, unless llama-server reports its own). Stop strings are applied
 * here as well as by the server, so 'stop-string' is reported whenever this side sees one; a
 * server that stops at one silently reports 'end-of-text' unless it says so (vLLM does).
 *
 * JSON: as in the llama.cpp backend, the output is parsed and validated against the schema, retried
 * once (next seed), then BackendError 'invalid-output' with the raw text; `onTokens` gets the
 * validated text once; the request's stop strings are not sent, as they could cut valid JSON.
 *
 * API keys go only into the Authorization header: never into messages, errors or `info`.
 */
export class OpenAiBackend implements InferenceBackend {
  readonly kind = 'openai'
  readonly modelName: string
  readonly warnings: readonly BackendWarning[] = []
  readonly info: OpenAiBackendInfo

  private readonly model: string
  private readonly pool: EndpointPool
  private readonly semaphore: Semaphore
  private readonly jsonModeSetting: OpenAiJsonMode
  private readonly streaming: boolean
  private readonly timeoutMs: number
  private readonly retries: number
  private readonly retryBaseDelayMs: number
  private readonly maxRetryAfterMs: number
  private readonly extraBody: Readonly<Record<string, unknown>>
  private readonly validators = new Map<string, JsonOutputValidator>()
  private readonly running = new Set<{ controller: AbortController; done: Promise<unknown> }>()
  private disposed: Promise<void> | null = null

  constructor(options: OpenAiBackendOptions) {
    if (options.model.trim() === '') throw new BackendError('invalid-request', 'an OpenAI-compatible backend needs a model name')
    this.model = options.model
    this.modelName = options.modelName ?? options.model
    this.jsonModeSetting = options.jsonMode ?? 'auto'
    this.pool = new EndpointPool(options.endpoints, this.jsonModeSetting, options.coolOffMs ?? DEFAULT_COOL_OFF_MS)
    this.semaphore = new Semaphore(options.concurrency ?? DEFAULT_CONCURRENCY)
    this.streaming = options.stream ?? true
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.retries = options.retries ?? DEFAULT_RETRIES
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS
    this.extraBody = options.extraBody ?? {}
    this.info = { endpoints: this.pool.endpoints.map((endpoint) => endpoint.label), model: this.model }
  }

  async generate(request: GenerationRequest, callbacks: GenerateCallbacks = {}): Promise<GenerationResult> {
    if (this.disposed) throw new BackendError('disposed', 'the OpenAI-compatible backend has been disposed')
    const controller = new AbortController()
    const done = this.run(request, callbacks, controller.signal)
    const entry = { controller, done }
    this.running.add(entry)
    try {
      return await done
    } finally {
      this.running.delete(entry)
    }
  }

  dispose(): Promise<void> {
    this.disposed ??= (async () => {
      this.semaphore.close(new BackendError('disposed', 'the OpenAI-compatible backend was disposed while the request waited'))
      for (const { controller } of this.running) controller.abort()
      await Promise.allSettled([...this.running].map(({ done }) => done))
    })()
    return this.disposed
  }

  private async run(request: GenerationRequest, callbacks: GenerateCallbacks, disposeSignal: AbortSignal): Promise<GenerationResult> {
    const startedAt = performance.now()
    const parsed = GenerationRequestSchema.safeParse(request)
    if (!parsed.success) throw new BackendError('invalid-request', `invalid generation request: ${parsed.error.message}`)
    if (callbacks.signal?.aborted) throw new BackendError('aborted', 'the request was aborted before it started')
    const signal = callbacks.signal ? AbortSignal.any([callbacks.signal, disposeSignal]) : disposeSignal
    const release = await this.semaphore.acquire(signal)
    try {
      const call: Call = { req: parsed.data, startedAt, signal, onTokens: callbacks.onTokens, delivered: false }
      return parsed.data.jsonSchema ? await this.generateJson(call, parsed.data.jsonSchema) : await this.generateText(call)
    } finally {
      release()
    }
  }

  private async generateText(call: Call): Promise<GenerationResult> {
    const answer = await this.ask(call, { jsonSchema: undefined, seed: call.req.sampling.seed, deliver: true })
    return { text: answer.text, stats: this.stats(call, [answer]) }
  }

  private async generateJson(call: Call, schema: Record<string, unknown>): Promise<GenerationResult> {
    const validate = this.validator(schema)
    const answers: Answer[] = []
    let seed = call.req.sampling.seed
    for (let attempt = 1; ; attempt++) {
      const answer = await this.ask(call, { jsonSchema: schema, seed, deliver: false })
      answers.push(answer)
      if (answer.aborted) return { text: answer.text, stats: this.stats(call, answers) }
      const text = stripCodeFence(answer.text)
      const check = validate(text)
      if (check.ok) {
        call.onTokens?.(text)
        return { text, stats: this.stats(call, answers), json: check.value }
      }
      if (attempt >= JSON_ATTEMPTS) {
        const raw = answer.text.trim()
        throw new BackendError(
          'invalid-output',
          `the model's output did not match the JSON schema after ${attempt} attempts (${check.reason}); raw output: ${JSON.stringify(raw)}`,
          { rawOutput: raw }
        )
      }
      // A different seed, or a deterministic server gives the same invalid answer again.
      if (seed !== undefined) seed = (seed + 1) >>> 0
    }
  }

  /** One answer, retried (on the next endpoint each time) while retrying is safe. */
  private async ask(call: Call, ask: Ask): Promise<Answer> {
    let retried = 0
    for (;;) {
      if (call.signal.aborted) return emptyAnswer(true)
      const endpoint = this.pool.next()
      try {
        return await this.attempt(endpoint, call, ask)
      } catch (caught) {
        if (!(caught instanceof AttemptFailure)) throw caught
        if (caught.retry === 'now') continue
        if (caught.retry === 'never' || call.delivered) throw caught.error
        if (caught.retryAfterMs !== null && caught.retryAfterMs > this.maxRetryAfterMs) throw caught.error
        if (retried >= this.retries) {
          const { error } = caught
          throw retried === 0 ? error : new BackendError(error.code, `${error.message} (gave up after ${retried} retries)`, { cause: error })
        }
        const delay = Math.max(backoffDelay(retried, this.retryBaseDelayMs, MAX_RETRY_DELAY_MS), caught.retryAfterMs ?? 0)
        retried++
        await sleep(delay, call.signal)
      }
    }
  }

  private async attempt(endpoint: EndpointState, call: Call, ask: Ask): Promise<Answer> {
    const { req } = call
    const chat = req.promptFormat !== 'sdf-alpaca'
    const jsonMode = ask.jsonSchema ? endpoint.jsonMode : null
    const messages: ChatMessage[] = ask.jsonSchema && jsonMode !== 'json_schema' ? withJsonInstruction(req.messages, ask.jsonSchema) : req.messages
    const streamUsage = this.streaming && endpoint.streamUsage
    const extras = samplingExtras(req)
    const sendExtras = endpoint.samplingExtras && Object.keys(extras).length > 0
    const { temperature, topP } = req.sampling
    const body: Record<string, unknown> = {
      model: this.model,
      ...(chat ? { messages } : { prompt: renderAlpacaPrompt(messages) }),
      max_tokens: req.maxTokens,
      ...(temperature === undefined ? {} : { temperature }),
      ...(topP === undefined ? {} : { top_p: topP }),
      ...(ask.seed === undefined ? {} : { seed: ask.seed }),
      ...(sendExtras ? extras : {}),
      ...(ask.jsonSchema || req.stop.length === 0 ? {} : { stop: req.stop }),
      ...(jsonMode === 'json_schema' ? { response_format: jsonSchemaFormat(ask.jsonSchema!) } : {}),
      ...(jsonMode === 'json_object' ? { response_format: { type: 'json_object' } } : {}),
      stream: this.streaming,
      ...(streamUsage ? { stream_options: { include_usage: true } } : {}),
      ...this.extraBody
    }
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      Accept: this.streaming ? 'text/event-stream' : 'application/json'
    }
    if (endpoint.apiKey !== undefined) headers.Authorization = `Bearer ${endpoint.apiKey}`

    const controller = new AbortController()
    const onAbort = () => controller.abort()
    call.signal.addEventListener('abort', onAbort, { once: true })
    let timedOut = false
    let timer: NodeJS.Timeout | undefined
    const armTimer = () => {
      clearTimeout(timer)
      timer = setTimeout(() => {
        timedOut = true
        controller.abort()
      }, this.timeoutMs)
    }
    armTimer()
    const answer = emptyAnswer(false)
    let response: Response | undefined
    try {
      try {
        response = await fetch(`${endpoint.baseUrl}/${chat ? 'chat/completions' : 'completions'}`, {
          method: 'POST',
          headers,
          body: JSON.stringify(body),
          signal: controller.signal
        })
      } catch (error) {
        if (call.signal.aborted) return { ...answer, aborted: true, finishedAt: performance.now() }
        if (timedOut) throw new AttemptFailure(this.timeoutError(endpoint, 'to answer'), 'backoff')
        this.pool.markDown(endpoint)
        throw new AttemptFailure(new BackendError('network', `cannot reach the server at ${endpoint.label}: ${describeNetworkError(error)}`, { cause: error }), 'backoff')
      }
      this.pool.markUp(endpoint)
      if (!response.ok) throw await this.failureFor(response, endpoint, call, { jsonMode, streamUsage, sendExtras })
      const read = { endpoint, call, ask, chat, answer, armTimer }
      const isStream = (response.headers.get('content-type') ?? '').toLowerCase().includes('text/event-stream')
      try {
        return isStream ? await this.readStream(response, read) : await this.readWhole(response, read)
      } catch (error) {
        if (error instanceof AttemptFailure) throw error
        if (call.signal.aborted) return { ...answer, aborted: true, finishedAt: performance.now() }
        const already = call.delivered ? '; not retried, as part of the answer had already been passed on' : ''
        if (timedOut) throw new AttemptFailure(this.timeoutError(endpoint, 'for the next part of the answer', already), 'backoff')
        throw new AttemptFailure(
          new BackendError(
            'network',
            `the connection to the server at ${endpoint.label} broke off in the middle of the answer, after ${answer.text.length} characters ` +
              `(${describeNetworkError(error)})${already}`,
            { cause: error }
          ),
          'backoff'
        )
      }
    } finally {
      clearTimeout(timer)
      call.signal.removeEventListener('abort', onAbort)
      if (response && !response.bodyUsed) await response.body?.cancel().catch(() => undefined)
    }
  }

  private async readStream(response: Response, read: ReadContext): Promise<Answer> {
    const { endpoint, call, ask, chat, answer } = read
    if (!response.body) throw new AttemptFailure(new BackendError('server-error', `the server at ${endpoint.label} sent an empty stream`), 'backoff')
    const matcher = new StopStringMatcher(ask.jsonSchema ? [] : call.req.stop)
    let done = false
    for await (const event of parseSseStream(response.body)) {
      if (call.signal.aborted) return { ...answer, aborted: true, finishedAt: performance.now() }
      read.armTimer()
      const data = event.data.trim()
      if (data === '[DONE]') {
        done = true
        break
      }
      if (data === '') continue
      const chunk = this.parseChunk(data, endpoint, call)
      this.takeMetadata(chunk, answer)
      const choice = firstChoice(chunk)
      const piece = chat ? stringAt(choice, 'delta', 'content') : stringAt(choice, 'text')
      if (piece) {
        const now = performance.now()
        answer.firstTokenAt ??= now
        answer.lastTokenAt = now
        answer.pieces++
        const safe = matcher.push(piece)
        this.emit(safe.emit, read)
        if (safe.stopped) {
          answer.stopStringHit = true
          break
        }
      }
      this.takeFinish(choice, answer)
    }
    if (!done && answer.finishReason === null && !answer.stopStringHit) {
      const already = call.delivered ? '; not retried, as part of the answer had already been passed on' : ''
      throw new AttemptFailure(
        new BackendError(
          'network',
          `the stream from the server at ${endpoint.label} ended before the answer was complete (no finish_reason, no [DONE]) after ${answer.text.length} characters${already}`
        ),
        'backoff'
      )
    }
    if (!answer.stopStringHit) this.emit(matcher.flush(), read)
    answer.finishedAt = performance.now()
    return answer
  }

  private async readWhole(response: Response, read: ReadContext): Promise<Answer> {
    const { endpoint, call, ask, chat, answer } = read
    const chunk = this.parseChunk(await response.text(), endpoint, call)
    this.takeMetadata(chunk, answer)
    const choice = firstChoice(chunk)
    if (choice === undefined) throw new AttemptFailure(new BackendError('server-error', `the server at ${endpoint.label} answered without any choices`), 'never')
    const text = (chat ? stringAt(choice, 'message', 'content') : stringAt(choice, 'text')) ?? ''
    const matcher = new StopStringMatcher(ask.jsonSchema ? [] : call.req.stop)
    const cut = matcher.push(text)
    answer.stopStringHit = cut.stopped
    answer.pieces = text.length > 0 ? 1 : 0
    this.emit(cut.stopped ? cut.emit : cut.emit + matcher.flush(), read)
    this.takeFinish(choice, answer)
    answer.finishedAt = performance.now()
    return answer
  }

  private emit(text: string, read: ReadContext): void {
    if (text === '') return
    read.answer.text += text
    if (read.ask.deliver && read.call.onTokens) {
      read.call.delivered = true
      read.call.onTokens(text)
    }
  }

  /** A chunk (or whole answer) as JSON; a line that is not JSON, or an error the server sends instead, fails the attempt. */
  private parseChunk(data: string, endpoint: EndpointState, call: Call): Record<string, unknown> {
    let chunk: unknown
    try {
      chunk = JSON.parse(data)
    } catch {
      const shown = redact(data.length > 200 ? `${data.slice(0, 200)}…` : data, endpoint.apiKey)
      throw new AttemptFailure(
        new BackendError('server-error', `the server at ${endpoint.label} sent something that is not a JSON completion chunk: ${JSON.stringify(shown)}`),
        'never'
      )
    }
    if (typeof chunk !== 'object' || chunk === null || Array.isArray(chunk)) {
      throw new AttemptFailure(new BackendError('server-error', `the server at ${endpoint.label} sent ${JSON.stringify(data.slice(0, 200))} instead of a completion`), 'never')
    }
    const record = chunk as Record<string, unknown>
    if (record.error !== undefined && record.error !== null) {
      const said = redact(serverMessage(JSON.stringify(record)), endpoint.apiKey)
      // vLLM and llama-server report a failure that happens after the headers this way.
      throw new AttemptFailure(new BackendError('server-error', `the server at ${endpoint.label} failed while answering: ${said}`), call.delivered ? 'never' : 'backoff')
    }
    return record
  }

  private takeMetadata(chunk: Record<string, unknown>, answer: Answer): void {
    const usage = usageOf(chunk.usage)
    if (usage) answer.usage = usage
    const timings = chunk.timings
    if (typeof timings === 'object' && timings !== null) {
      const rate = (timings as Record<string, unknown>).predicted_per_second
      if (typeof rate === 'number' && Number.isFinite(rate) && rate >= 0) answer.serverTokensPerSecond = rate
    }
  }

  private takeFinish(choice: Record<string, unknown> | undefined, answer: Answer): void {
    const reason = choice?.finish_reason
    if (typeof reason !== 'string' || reason === '') return
    answer.finishReason = reason
    if (typeof choice?.stop_reason === 'string' || (typeof choice?.stopping_word === 'string' && choice.stopping_word !== '')) {
      answer.serverStopString = true
    }
  }

  private async failureFor(
    response: Response,
    endpoint: EndpointState,
    call: Call,
    sent: { jsonMode: ResolvedJsonMode | null; streamUsage: boolean; sendExtras: boolean }
  ): Promise<AttemptFailure> {
    const { status } = response
    const body = redact(await readBounded(response), endpoint.apiKey)
    if (status === 400 || status === 422) {
      const said = serverMessage(body)
      if (sent.streamUsage && REJECTS_STREAM_OPTIONS.test(said)) {
        endpoint.streamUsage = false
        return new AttemptFailure(new BackendError('invalid-request', said), 'now')
      }
      const fallback = sent.jsonMode === null ? null : JSON_MODE_FALLBACK[sent.jsonMode]
      if (fallback !== null && this.jsonModeSetting === 'auto' && REJECTS_JSON_MODE.test(said)) {
        // Concurrent requests learn this together: a late answer to an older mode must not step back up.
        if (JSON_MODE_RANK[fallback] > JSON_MODE_RANK[endpoint.jsonMode]) endpoint.jsonMode = fallback
        return new AttemptFailure(new BackendError('invalid-request', said), 'now')
      }
      if (sent.sendExtras && REJECTS_SAMPLING_EXTRAS.test(said)) {
        endpoint.samplingExtras = false
        return new AttemptFailure(new BackendError('invalid-request', said), 'now')
      }
    }
    const wait = status === 429 || status === 503 ? retryAfterMs(response.headers) : null
    const availableModels = status === 404 ? await this.listModels(endpoint, call.signal) : null
    const error = errorForStatus(status, body, { label: endpoint.label, model: this.model, availableModels, retryAfterMs: wait })
    const retryable = status === 429 || (status >= 500 && status !== 501)
    return new AttemptFailure(error, retryable ? 'backoff' : 'never', wait)
  }

  /** The ids at `/models`, for a 404's message; null when they cannot be read. */
  private async listModels(endpoint: EndpointState, signal: AbortSignal): Promise<string[] | null> {
    try {
      const response = await fetch(`${endpoint.baseUrl}/models`, {
        headers: endpoint.apiKey === undefined ? {} : { Authorization: `Bearer ${endpoint.apiKey}` },
        signal: AbortSignal.any([signal, AbortSignal.timeout(MODELS_LOOKUP_TIMEOUT_MS)])
      })
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined)
        return null
      }
      const list = (await response.json()) as { data?: unknown }
      if (!Array.isArray(list.data)) return null
      return list.data.flatMap((model: unknown) =>
        typeof model === 'object' && model !== null && typeof (model as { id?: unknown }).id === 'string' ? [(model as { id: string }).id] : []
      )
    } catch {
      return null
    }
  }

  private timeoutError(endpoint: EndpointState, waitingFor: string, suffix = ''): BackendError {
    return new BackendError('network', `the server at ${endpoint.label} did not answer within ${formatDuration(this.timeoutMs)} (waiting ${waitingFor})${suffix}`)
  }

  private stats(call: Call, answers: readonly Answer[]): GenerationStats {
    const last = answers.at(-1)!
    const tokens = (answer: Answer) => answer.usage?.completionTokens ?? answer.pieces
    const first = answers.find((answer) => answer.firstTokenAt !== null)?.firstTokenAt ?? null
    const stopReason: GenerationStats['stopReason'] = last.aborted
      ? 'aborted'
      : last.stopStringHit || last.serverStopString
        ? 'stop-string'
        : last.finishReason === 'length'
          ? 'max-tokens'
          : 'end-of-text'
    return {
      promptTokens: sum(answers, (answer) => (answer.usage ? answer.usage.promptTokens - answer.usage.cachedTokens : 0)),
      reusedPromptTokens: sum(answers, (answer) => answer.usage?.cachedTokens ?? 0),
      generatedTokens: sum(answers, tokens),
      timeToFirstTokenMs: first === null ? null : Math.max(0, first - call.startedAt),
      tokensPerSecond: decodeRate(last, tokens(last)),
      durationMs: performance.now() - call.startedAt,
      stopReason,
      trimmed: null
    }
  }

  private validator(schema: Record<string, unknown>): JsonOutputValidator {
    const key = JSON.stringify(schema)
    let validate = this.validators.get(key)
    if (!validate) {
      validate = compileJsonValidator(schema)
      this.validators.set(key, validate)
    }
    return validate
  }
}

interface ReadContext {
  readonly endpoint: EndpointState
  readonly call: Call
  readonly ask: Ask
  readonly chat: boolean
  readonly answer: Answer
  readonly armTimer: () => void
}

function emptyAnswer(aborted: boolean): Answer {
  const now = performance.now()
  return {
    text: '',
    finishReason: null,
    serverStopString: false,
    stopStringHit: false,
    usage: null,
    pieces: 0,
    serverTokensPerSecond: null,
    requestedAt: now,
    firstTokenAt: null,
    lastTokenAt: null,
    finishedAt: now,
    aborted
  }
}

/** Sampling fields outside OpenAI's API that llama-server and vLLM accept (vLLM spells the penalty its own way). */
function samplingExtras(req: ParsedRequest): Record<string, number> {
  const { topK, minP, repeatPenalty } = req.sampling
  const extras: Record<string, number> = {}
  if (topK !== undefined) extras.top_k = topK
  if (minP !== undefined) extras.min_p = minP
  if (repeatPenalty !== undefined) {
    extras.repeat_penalty = repeatPenalty
    extras.repetition_penalty = repeatPenalty
  }
  return extras
}

function jsonSchemaFormat(schema: Record<string, unknown>) {
  // OpenAI allows [a-zA-Z0-9_-]{1,64} as the name.
  const title = typeof schema.title === 'string' ? schema.title.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 64) : ''
  return { type: 'json_schema', json_schema: { name: title || 'output', schema, strict: true } }
}

function firstChoice(chunk: Record<string, unknown>): Record<string, unknown> | undefined {
  const choices = chunk.choices
  if (!Array.isArray(choices)) return undefined
  const first = choices[0] as unknown
  return typeof first === 'object' && first !== null ? (first as Record<string, unknown>) : undefined
}

function stringAt(value: Record<string, unknown> | undefined, ...path: string[]): string | undefined {
  let current: unknown = value
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined
    current = (current as Record<string, unknown>)[key]
  }
  return typeof current === 'string' ? current : undefined
}

function usageOf(value: unknown): Usage | null {
  if (typeof value !== 'object' || value === null) return null
  const usage = value as Record<string, unknown>
  const prompt = wholeNumber(usage.prompt_tokens)
  const completion = wholeNumber(usage.completion_tokens)
  if (prompt === undefined || completion === undefined) return null
  const details = usage.prompt_tokens_details
  const cached = typeof details === 'object' && details !== null ? wholeNumber((details as Record<string, unknown>).cached_tokens) : undefined
  return { promptTokens: prompt, cachedTokens: Math.min(cached ?? 0, prompt), completionTokens: completion }
}

function wholeNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined
}

function decodeRate(answer: Answer, tokens: number): number {
  if (answer.serverTokensPerSecond !== null) return answer.serverTokensPerSecond
  if (answer.firstTokenAt !== null && answer.lastTokenAt !== null && answer.pieces >= 2 && tokens >= 2) {
    const seconds = (answer.lastTokenAt - answer.firstTokenAt) / 1000
    return seconds > 0 ? (tokens - 1) / seconds : 0
  }
  const seconds = (answer.finishedAt - answer.requestedAt) / 1000
  return !answer.aborted && tokens > 0 && seconds > 0 ? tokens / seconds : 0
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0)
}

/** A connection failure in words: fetch says only "fetch failed" and keeps the reason in `cause`. */
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause
  const inner = (typeof cause === 'object' && cause !== null ? cause : error) as { code?: unknown; message?: unknown }
  const code = typeof inner.code === 'string' ? inner.code : undefined
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the server running, and on this port?)'
    case 'ECONNRESET':
      return 'the connection was reset'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name could not be resolved'
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connecting timed out'
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the host is unreachable'
    case 'UND_ERR_SOCKET':
      return 'the server closed the connection'
  }
  const message = typeof inner.message === 'string' ? inner.message : String(error)
  return code ? `${message} (${code})` : message
}

async function readBounded(response: Response): Promise<string> {
  try {
    const text = await response.text()
    return text.length > MAX_ERROR_BODY ? text.slice(0, MAX_ERROR_BODY) : text
  } catch {
    return ''
  }
}

/** A server might echo the key back in an error; it must not travel on in our messages. */
function redact(text: string, apiKey: string | undefined): string {
  return apiKey && apiKey.length >= 4 ? text.split(apiKey).join('[API key]') : text
}
