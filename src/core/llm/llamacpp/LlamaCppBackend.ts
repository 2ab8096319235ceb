import { defaultLlamaThreads } from './defaultThreads.js'
import { basename } from 'node:path'
import type {
  Llama,
  LlamaContext,
  LlamaContextSequence,
  LlamaGrammar,
  LlamaGpuType,
  LlamaLogLevel,
  LlamaModel,
  SequenceEvaluateOptions,
  Token
} from 'node-llama-cpp'
import { ModelFileError, readModelFile } from '../../models/index.js'
import { nodeLlamaCpp } from '../../models/nodeLlamaCpp.js'
import {
  BackendError,
  GenerationRequestSchema,
  type BackendWarning,
  type GenerateCallbacks,
  type GenerationRequest,
  type GenerationResult,
  type GenerationStats,
  type InferenceBackend
} from '../backend.js'
import { compileJsonValidator, type JsonOutputValidator } from '../jsonOutputValidator.js'
import { SequencePool } from '../sequencePool.js'
import { StopStringMatcher } from '../stopStringMatcher.js'
import { tightenJsonSchema } from '../tightenJsonSchema.js'
import { TokenTextDecoder } from '../tokenTextDecoder.js'
import { trimMessagesToFit } from '../trimMessagesToFit.js'
import { loadLlama, type GpuOption } from './loadLlama.js'
import { PromptRenderer, type RenderedPrompt } from './PromptRenderer.js'

export interface LlamaCppBackendOptions {
  readonly modelPath: string
  /** Recorded with every comment; defaults to the GGUF's `general.name`, else the file name. */
  readonly modelName?: string
  /** Concurrent requests served from one context (one KV-cache sequence each). Default 4. */
  readonly sequences?: number
  /** Tokens per sequence (prompt + answer). Default: 4096, or the trained length if smaller. */
  readonly contextSize?: number
  /** CPU threads. Default `defaultLlamaThreads()` (all cores but one); node-llama-cpp's own default thrashes small machines. */
  readonly threads?: number
  /** Default 'auto'. A GPU that fails to load or run falls back to the CPU with a warning. */
  readonly gpu?: GpuOption
  /** 'error' throws BackendError 'gpu-unavailable' instead of falling back. Default 'cpu'. */
  readonly onGpuFailure?: 'cpu' | 'error'
  /** Layers to offload; default node-llama-cpp's 'auto' (as many as fit). */
  readonly gpuLayers?: 'auto' | 'max' | number
  readonly batchSize?: number
  /**
   * Prompts are evaluated in chunks of this many tokens that start at its multiples (default 64, at
   * most the batch size). Small enough that aligned reuse keeps most of a cached prefix, large
   * enough that prompt evaluation stays batched.
   */
  readonly promptChunkSize?: number
  /**
   * 'aligned' (default): a cached prompt prefix is reused only in whole prompt chunks, so every
   * prompt token is evaluated in exactly the chunk a fresh evaluation would put it in, and a reply
   * does not depend on what the cache held (a run resumed after a crash equals an uninterrupted
   * one). Costs up to a chunk of reuse per turn. 'longest': reuse the longest common prefix (most
   * reuse, but the last bits of floating point, and so sampled text, can depend on the cache's history).
   */
  readonly prefixReuse?: 'aligned' | 'longest'
  /** Use this Llama instead of loading one (tests, or one Llama shared by several backends); it is not disposed. */
  readonly llama?: Llama
  readonly logLevel?: LlamaLogLevel
}

/** What the backend actually runs on, for provenance and the UI. */
export interface LlamaCppBackendInfo {
  readonly modelPath: string
  readonly gpu: LlamaGpuType
  readonly gpuLayers: number
  readonly threads: number
  readonly contextSize: number
  readonly sequences: number
  readonly batchSize: number
  readonly promptChunkSize: number
  readonly prefixReuse: 'aligned' | 'longest'
  readonly chatWrapper: string
}

const DEFAULT_SEQUENCES = 4
const DEFAULT_CONTEXT_SIZE = 4096
const DEFAULT_PROMPT_CHUNK_SIZE = 64
/** llama-cpp-python's `last_n_tokens_size`: the window the repeat penalty looks at. */
const REPEAT_PENALTY_WINDOW = 64
const JSON_ATTEMPTS = 2

interface JsonMode {
  readonly grammar: LlamaGrammar
  readonly validate: JsonOutputValidator
  readonly stopStrings: readonly string[]
}

interface Attempt {
  text: string
  stopReason: GenerationStats['stopReason']
  promptTokens: number
  reusedPromptTokens: number
  generatedTokens: number
  firstTokenAt: number | null
  lastTokenAt: number | null
}

type ParsedRequest = ReturnType<typeof GenerationRequestSchema.parse>

/** Loads the model and builds a backend; throws BackendError with a code a UI can act on. */
export async function createLlamaCppBackend(options: LlamaCppBackendOptions): Promise<LlamaCppBackend> {
  let file
  try {
    file = await readModelFile(options.modelPath)
  } catch (error) {
    if (error instanceof ModelFileError) {
      throw new BackendError(error.code === 'not-found' ? 'model-not-found' : 'model-invalid', error.message, { cause: error })
    }
    throw error
  }

  const threads = options.threads ?? defaultLlamaThreads()
  const recentLogs: string[] = []
  let owned = false
  let llama = options.llama
  let warnings: readonly BackendWarning[] = []
  if (!llama) {
    const loaded = await loadLlama({
      gpu: options.gpu ?? 'auto',
      threads,
      onGpuFailure: options.onGpuFailure,
      logLevel: options.logLevel,
      // Kept so a failed load can say what llama.cpp objected to, and still printed as usual.
      logger: (level, message) => {
        recentLogs.push(message)
        if (recentLogs.length > 20) recentLogs.shift()
        console.error(`[node-llama-cpp] ${message}`)
      }
    })
    llama = loaded.llama
    warnings = loaded.warnings
    owned = true
  }

  let model: LlamaModel | undefined
  let context: LlamaContext | undefined
  try {
    try {
      model = await llama.loadModel({ modelPath: file.path, ...(options.gpuLayers === undefined ? {} : { gpuLayers: options.gpuLayers }) })
    } catch (error) {
      const detail = recentLogs.filter((line) => /error|fail/i.test(line)).join('; ')
      throw new BackendError(
        'model-invalid',
        `${file.path} could not be loaded by llama.cpp: ${(error as Error).message}${detail ? ` (${detail})` : ''}`,
        { cause: error }
      )
    }
    const sequences = options.sequences ?? DEFAULT_SEQUENCES
    const contextSize = options.contextSize ?? Math.min(DEFAULT_CONTEXT_SIZE, model.trainContextSize || DEFAULT_CONTEXT_SIZE)
    try {
      context = await model.createContext({
        contextSize,
        sequences,
        threads,
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize })
      })
    } catch (error) {
      throw new BackendError(
        'invalid-request',
        `cannot create a context of ${contextSize} tokens × ${sequences} sequences for ${file.path}: ${(error as Error).message}`,
        { cause: error }
      )
    }
    const { resolveChatWrapper } = await nodeLlamaCpp()
    const renderer = new PromptRenderer(model, resolveChatWrapper(model))
    const modelName = options.modelName ?? model.fileInfo.metadata.general.name ?? basename(file.path).replace(/\.gguf$/i, '')
    return new LlamaCppBackend({
      llama,
      ownsLlama: owned,
      model,
      context,
      renderer,
      modelName,
      warnings,
      threads,
      modelPath: file.path,
      prefixReuse: options.prefixReuse ?? 'aligned',
      promptChunkSize: Math.max(1, Math.min(options.promptChunkSize ?? DEFAULT_PROMPT_CHUNK_SIZE, context.batchSize))
    })
  } catch (error) {
    await context?.dispose()
    await model?.dispose()
    if (owned) await llama.dispose()
    throw error
  }
}

interface BackendParts {
  readonly llama: Llama
  readonly ownsLlama: boolean
  readonly model: LlamaModel
  readonly context: LlamaContext
  readonly renderer: PromptRenderer
  readonly modelName: string
  readonly warnings: readonly BackendWarning[]
  readonly threads: number
  readonly modelPath: string
  readonly prefixReuse: 'aligned' | 'longest'
  readonly promptChunkSize: number
}

/**
 * The in-process llama.cpp backend: one model, one context with N sequences leased to concurrent
 * requests (llama.cpp batches their tokens together), a sequence kept per agent so its next turn
 * only evaluates what changed, and prompts trimmed to fit rather than overflowing.
 *
 * Aborting: while waiting for a free sequence, `generate` rejects with BackendError 'aborted';
 * once running, it stops within one token and resolves with the text so far and stopReason
 * 'aborted', and the sequence is free at once.
 *
 * Determinism: the same request with the same seed gives the same text when it runs alone, whatever
 * the sequence's cache held before. llama.cpp's kernels round a token's values differently
 * depending on which tokens share its batch, so a prompt is always evaluated in chunks of
 * `promptChunkSize` tokens aligned to its multiples, with the last token alone, and (with prefixReuse
 * 'aligned') a cached prefix is reused only as far as it was evaluated in exactly those chunks
 * (`canonicalLength`): a cached and a fresh evaluation then compute every token identically.
 * Tokens batched together with other sequences (concurrent requests) can still differ in the last
 * bits of floating point and so change the sampled text.
 *
 * Stats: `timeToFirstTokenMs` counts from the call, so it includes any wait for a free sequence;
 * `tokensPerSecond` is this request's decode speed after its first token. With a JSON retry the
 * token counts add up both attempts.
 *
 * JSON: with `jsonSchema` the grammar decides where the output ends (the request's `stop` strings
 * are not applied, since `"\n\n"` or `"User"` could cut valid JSON); `onTokens` gets the validated
 * text once, as a retry could otherwise stream text that is then thrown away.
 */
export class LlamaCppBackend implements InferenceBackend {
  readonly kind = 'llama.cpp'
  readonly modelName: string
  readonly warnings: readonly BackendWarning[]
  readonly info: LlamaCppBackendInfo

  private readonly parts: BackendParts
  private readonly pool: SequencePool<LlamaContextSequence>
  private readonly grammars = new Map<string, Promise<JsonMode>>()
  private readonly running = new Set<{ controller: AbortController; done: Promise<unknown> }>()
  /** Per sequence: how many leading cached tokens were evaluated in whole aligned chunks (a multiple of the prompt chunk size). */
  private readonly canonicalLength = new WeakMap<LlamaContextSequence, number>()
  private disposed: Promise<void> | null = null

  constructor(parts: BackendParts) {
    this.parts = parts
    this.modelName = parts.modelName
    this.warnings = parts.warnings
    const { context, model } = parts
    this.pool = new SequencePool(Array.from({ length: context.totalSequences }, () => context.getSequence()))
    this.info = {
      modelPath: parts.modelPath,
      gpu: parts.llama.gpu,
      gpuLayers: model.gpuLayers,
      threads: parts.threads,
      contextSize: context.contextSize,
      sequences: context.totalSequences,
      batchSize: context.batchSize,
      promptChunkSize: parts.promptChunkSize,
      prefixReuse: parts.prefixReuse,
      chatWrapper: parts.renderer.chatWrapperName
    }
  }

  async generate(request: GenerationRequest, callbacks: GenerateCallbacks = {}): Promise<GenerationResult> {
    if (this.disposed) throw new BackendError('disposed', 'the llama.cpp backend has been disposed')
    const controller = new AbortController()
    const signal = callbacks.signal ? AbortSignal.any([callbacks.signal, controller.signal]) : controller.signal
    const done = this.generateOnSequence(request, callbacks.onTokens, signal, callbacks.signal)
    const entry = { controller, done }
    this.running.add(entry)
    try {
      return await done
    } finally {
      this.running.delete(entry)
    }
  }

  releaseAgent(agentKey: string): void {
    this.pool.releaseAgent(agentKey)
  }

  dispose(): Promise<void> {
    this.disposed ??= (async () => {
      this.pool.close(new BackendError('disposed', 'the llama.cpp backend was disposed while the request waited'))
      for (const { controller } of this.running) controller.abort()
      await Promise.allSettled([...this.running].map(({ done }) => done))
      await this.parts.context.dispose()
      await this.parts.model.dispose()
      if (this.parts.ownsLlama) await this.parts.llama.dispose()
    })()
    return this.disposed
  }

  private async generateOnSequence(
    request: GenerationRequest,
    onTokens: ((text: string) => void) | undefined,
    signal: AbortSignal,
    callerSignal: AbortSignal | undefined
  ): Promise<GenerationResult> {
    const startedAt = performance.now()
    const parsed = GenerationRequestSchema.safeParse(request)
    if (!parsed.success) throw new BackendError('invalid-request', `invalid generation request: ${parsed.error.message}`)
    const req = parsed.data
    if (callerSignal?.aborted) throw new BackendError('aborted', 'the request was aborted before it started')

    const { renderer, context } = this.parts
    // node-llama-cpp keeps one cell free, and the last generated token is never evaluated.
    const budget = context.contextSize - 1 - req.maxTokens
    const fitted = trimMessagesToFit(req.messages, budget, {
      count: (messages) => renderer.count(messages, req.promptFormat),
      dropLeadingTokens: (text, tokens) => renderer.dropLeadingTokens(text, tokens)
    })
    const prompt = renderer.render(fitted.messages, req.promptFormat)
    if (prompt.tokens.length === 0) throw new BackendError('invalid-request', 'the prompt renders to no tokens at all')
    const json = req.jsonSchema ? await this.jsonMode(req.jsonSchema) : null

    const lease = await this.pool.lease({
      agentKey: req.agentKey,
      affinity: (sequence) => sequence.compareContextTokens(prompt.tokens).firstDifferentIndex,
      signal
    })
    try {
      const totals = { promptTokens: 0, reusedPromptTokens: 0, generatedTokens: 0 }
      let firstTokenAt: number | null = null
      let seed = req.sampling.seed ?? randomSeed()
      for (let attempt = 1; ; attempt++) {
        const run = await this.runOnce(lease.item, prompt, req, seed, json, json ? undefined : onTokens, signal)
        totals.promptTokens += run.promptTokens
        totals.reusedPromptTokens += run.reusedPromptTokens
        totals.generatedTokens += run.generatedTokens
        firstTokenAt ??= run.firstTokenAt
        const stats = (): GenerationStats => ({
          ...totals,
          timeToFirstTokenMs: firstTokenAt === null ? null : firstTokenAt - startedAt,
          tokensPerSecond: decodeRate(run),
          durationMs: performance.now() - startedAt,
          stopReason: run.stopReason,
          trimmed: fitted.trimmed
        })
        if (!json || run.stopReason === 'aborted') return { text: run.text, stats: stats() }
        const text = run.text.trim()
        const check = json.validate(text)
        if (check.ok) {
          onTokens?.(text)
          return { text, stats: stats(), json: check.value }
        }
        if (attempt >= JSON_ATTEMPTS) {
          throw new BackendError(
            'invalid-output',
            `the model's output did not match the JSON schema after ${attempt} attempts (${check.reason}); raw output: ${JSON.stringify(text)}`,
            { rawOutput: text }
          )
        }
        seed = (seed + 1) >>> 0
      }
    } finally {
      lease.release()
    }
  }

  private async runOnce(
    sequence: LlamaContextSequence,
    prompt: RenderedPrompt,
    req: ParsedRequest,
    seed: number,
    json: JsonMode | null,
    onTokens: ((text: string) => void) | undefined,
    signal: AbortSignal
  ): Promise<Attempt> {
    const { tokens } = prompt
    const { model } = this.parts
    const reuse = this.reusablePrefix(sequence, tokens)
    if (sequence.nextTokenIndex > reuse) await sequence.eraseContextTokenRanges([{ start: reuse, end: sequence.nextTokenIndex }])
    const chunkSize = this.parts.promptChunkSize
    let canonical = Math.min(this.canonicalLength.get(sequence) ?? 0, reuse)
    this.canonicalLength.set(sequence, canonical)
    const attempt: Attempt = {
      text: '',
      stopReason: 'end-of-text',
      promptTokens: 0,
      reusedPromptTokens: reuse,
      generatedTokens: 0,
      firstTokenAt: null,
      lastTokenAt: null
    }

    // Chunks aligned to multiples of the prompt chunk size (the first one may start mid-way with
    // 'longest' reuse), so an abort lands between them, and the last token alone (see class doc).
    const end = tokens.length - 1
    for (let start = reuse; start < end; ) {
      if (signal.aborted) return { ...attempt, stopReason: 'aborted' }
      const stop = Math.min(end, (Math.floor(start / chunkSize) + 1) * chunkSize)
      await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(start, stop))
      attempt.promptTokens += stop - start
      // A whole aligned chunk evaluated on top of a canonical prefix extends it.
      if (start === canonical && stop - start === chunkSize) this.canonicalLength.set(sequence, (canonical = stop))
      start = stop
    }
    if (signal.aborted) return { ...attempt, stopReason: 'aborted' }
    attempt.promptTokens += 1

    const generated: Token[] = []
    const decoder = new TokenTextDecoder((pending, preceding) => model.detokenize(pending, false, preceding), tokens)
    const matcher = new StopStringMatcher(json ? json.stopStrings : [...prompt.stopStrings, ...req.stop])
    const emit = (text: string) => {
      if (text.length === 0) return
      attempt.text += text
      onTokens?.(text)
    }
    const { LlamaGrammarEvaluationState } = await nodeLlamaCpp()
    const options = this.samplingOptions(req, seed, tokens, generated)
    if (json) options.grammarEvaluationState = new LlamaGrammarEvaluationState({ model, grammar: json.grammar })

    for await (const token of sequence.evaluate(tokens.slice(-1), options)) {
      if (signal.aborted) {
        attempt.stopReason = 'aborted'
        break
      }
      const now = performance.now()
      attempt.firstTokenAt ??= now
      attempt.lastTokenAt = now
      attempt.generatedTokens++
      if (prompt.stopTokens.has(token)) break
      generated.push(token)
      const piece = matcher.push(decoder.push(token))
      emit(piece.emit)
      if (piece.stopped) {
        attempt.stopReason = 'stop-string'
        break
      }
      if (attempt.generatedTokens >= req.maxTokens) {
        attempt.stopReason = 'max-tokens'
        break
      }
    }
    if (!matcher.hasStopped && attempt.stopReason !== 'aborted') {
      const tail = matcher.push(decoder.flush())
      emit(tail.emit)
      if (tail.stopped) attempt.stopReason = 'stop-string'
      else emit(matcher.flush())
    }
    return attempt
  }

  /**
   * How many leading prompt tokens can stay cached; at least the last token is always evaluated
   * again to get its logits. 'aligned' stops at the canonical, chunk-aligned part (see class doc).
   */
  private reusablePrefix(sequence: LlamaContextSequence, tokens: Token[]): number {
    const common = Math.min(sequence.compareContextTokens(tokens).firstDifferentIndex, tokens.length - 1)
    if (this.parts.prefixReuse === 'longest') return common
    const chunkSize = this.parts.promptChunkSize
    return Math.min(Math.floor(common / chunkSize) * chunkSize, this.canonicalLength.get(sequence) ?? 0)
  }

  private samplingOptions(req: ParsedRequest, seed: number, prompt: readonly Token[], generated: readonly Token[]): SequenceEvaluateOptions {
    const { temperature, topP, topK, minP, repeatPenalty } = req.sampling
    const options: SequenceEvaluateOptions = { seed }
    if (temperature !== undefined) options.temperature = temperature
    if (topP !== undefined) options.topP = topP
    if (topK !== undefined) options.topK = topK
    if (minP !== undefined) options.minP = minP
    if (repeatPenalty !== undefined && repeatPenalty !== 1) {
      options.repeatPenalty = {
        penalty: repeatPenalty,
        maxPunishTokens: REPEAT_PENALTY_WINDOW,
        // Prompt and answer together, as llama.cpp's own penalty window does.
        punishTokens: () => [...prompt.slice(-REPEAT_PENALTY_WINDOW), ...generated].slice(-REPEAT_PENALTY_WINDOW)
      }
    }
    return options
  }

  private jsonMode(schema: Record<string, unknown>): Promise<JsonMode> {
    const key = JSON.stringify(schema)
    let mode = this.grammars.get(key)
    if (!mode) {
      mode = (async () => {
        const { isLlamaText } = await nodeLlamaCpp()
        let grammar
        try {
          // Any JSON schema object goes in at runtime; the typed GbnfJsonSchema is too narrow for a zod-made one.
          grammar = await this.parts.llama.createGrammarForJsonSchema(tightenJsonSchema(schema) as never)
        } catch (error) {
          throw new BackendError('invalid-request', `the JSON schema cannot be enforced as a grammar: ${(error as Error).message}`, {
            cause: error
          })
        }
        // The JSON grammar ends its output with "\n\n\n\n" (as a LlamaText trigger).
        const stopStrings = grammar.stopGenerationTriggers.flatMap((trigger) => {
          if (typeof trigger === 'string') return [trigger]
          if (isLlamaText(trigger) && trigger.values.length === 1 && typeof trigger.values[0] === 'string') return [trigger.values[0]]
          return []
        })
        return { grammar, validate: compileJsonValidator(schema, (value) => grammar.parse(JSON.stringify(value))), stopStrings }
      })()
      // A schema that failed is not cached: the next request gets the same clear error, not a stale promise.
      mode.catch(() => this.grammars.delete(key))
      this.grammars.set(key, mode)
    }
    return mode
  }
}

/** Decode speed after the first token (prompt evaluation excluded); 0 with fewer than two tokens. */
function decodeRate(attempt: Attempt): number {
  if (attempt.firstTokenAt === null || attempt.lastTokenAt === null || attempt.generatedTokens < 2) return 0
  const seconds = (attempt.lastTokenAt - attempt.firstTokenAt) / 1000
  return seconds > 0 ? (attempt.generatedTokens - 1) / seconds : 0
}

function randomSeed(): number {
  return Math.floor(Math.random() * 0xffffffff)
}
