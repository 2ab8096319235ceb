import { createHash } from 'node:crypto'
import {
  BackendError,
  type GenerateCallbacks,
  type GenerationRequest,
  type GenerationResult,
  type InferenceBackend
} from '../../../src/core/index.js'

export interface ScriptedCall {
  request: GenerationRequest
  /** The speaker, read from the agent key or the prompt's closing `User <name> posted:`. */
  speaker: string | null
}

export type Reply = (call: ScriptedCall, index: number) => string | Promise<string>

export interface ScriptedBackendOptions {
  /** Text pieces are streamed this many characters at a time. */
  chunk?: number
  /** Waits this long before each piece (lets tests pause, cancel and interleave). */
  delayMs?: number
  /** Throws this error for calls for which it returns one. */
  fail?: (call: ScriptedCall, index: number) => Error | null
}

/**
 * A deterministic in-test InferenceBackend: its reply is a function of the request (so the same
 * request always gets the same text), it streams, honours abort signals like the llama.cpp backend
 * (stopReason 'aborted' once running) and records every request and agent release.
 */
export class ScriptedBackend implements InferenceBackend {
  readonly kind = 'llama.cpp' as const
  readonly modelName = 'scripted-model'
  readonly calls: ScriptedCall[] = []
  readonly released: string[] = []
  inFlight = 0
  maxInFlight = 0

  constructor(
    private readonly reply: Reply = echoReply,
    private readonly options: ScriptedBackendOptions = {}
  ) {}

  async generate(request: GenerationRequest, callbacks: GenerateCallbacks = {}): Promise<GenerationResult> {
    if (callbacks.signal?.aborted) throw new BackendError('aborted', 'aborted before it started')
    const call: ScriptedCall = { request: structuredClone(request), speaker: speakerOf(request) }
    const index = this.calls.push(call) - 1
    const failure = this.options.fail?.(call, index)
    if (failure) throw failure
    this.inFlight += 1
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    try {
      const text = await this.reply(call, index)
      const chunk = this.options.chunk ?? 3
      let sent = ''
      for (let at = 0; at < text.length; at += chunk) {
        if (this.options.delayMs) await new Promise((resolve) => setTimeout(resolve, this.options.delayMs))
        if (callbacks.signal?.aborted) return result(sent, 'aborted')
        const piece = text.slice(at, at + chunk)
        sent += piece
        callbacks.onTokens?.(piece)
      }
      if (text.length === 0 && this.options.delayMs) await new Promise((resolve) => setTimeout(resolve, this.options.delayMs))
      if (callbacks.signal?.aborted) return result(sent, 'aborted')
      return result(text, 'end-of-text')
    } finally {
      this.inFlight -= 1
    }
  }

  releaseAgent(agentKey: string): void {
    this.released.push(agentKey)
  }

  async dispose(): Promise<void> {}
}

function result(text: string, stopReason: GenerationResult['stats']['stopReason']): GenerationResult {
  return {
    text,
    stats: {
      promptTokens: 10,
      reusedPromptTokens: 0,
      generatedTokens: text.length,
      timeToFirstTokenMs: 1,
      tokensPerSecond: 100,
      durationMs: 2,
      stopReason,
      trimmed: null
    }
  }
}

function speakerOf(request: GenerationRequest): string | null {
  if (request.agentKey) return request.agentKey.split('/').slice(1).join('/')
  const last = request.messages[request.messages.length - 1]?.content ?? ''
  return /User (\S+) posted:$/.exec(last)?.[1] ?? null
}

/** A short reply that depends on the whole request (prompt and seed): "<speaker> says <hash>". */
export function echoReply(call: ScriptedCall, _index?: number): string {
  const hash = createHash('sha256').update(JSON.stringify(call.request)).digest('hex').slice(0, 8)
  return `${call.speaker ?? 'someone'} says ${hash}`
}

/** Replies per speaker in order, then `fallback` (an echo) once a speaker's script runs out. */
export function scriptedReplies(script: Record<string, readonly string[]>, fallback: Reply = echoReply): Reply {
  const used = new Map<string, number>()
  return (call, index) => {
    const speaker = call.speaker ?? ''
    const replies = script[speaker]
    const at = used.get(speaker) ?? 0
    used.set(speaker, at + 1)
    if (replies && at < replies.length) return replies[at] as string
    return fallback(call, index)
  }
}

/** A clock that ticks one second per reading, from a fixed start: discussions become byte-identical. */
export function fixedClock(start = Date.UTC(2025, 0, 2, 3, 4, 5)): () => Date {
  let tick = 0
  return () => new Date(start + 1000 * tick++)
}
