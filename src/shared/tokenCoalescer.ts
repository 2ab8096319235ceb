import type { TokenBatch } from './tokenStream.js'

/** How long tokens wait to be sent together: ~30 batches a second, far below a frame budget per token. */
export const DEFAULT_BATCH_WINDOW_MS = 30

/**
 * Numbers tokens per stream and gathers them into batches, one flush per window for all streams
 * that moved. Sending every token as its own message would cost a message (and a render) per token
 * per subscriber; a window of ~30 ms keeps text visibly live at a fraction of that.
 * Pure TypeScript on the global timers, so it runs in any host.
 */
export class TokenCoalescer {
  private readonly nextSeq = new Map<string, number>()
  private readonly ended = new Set<string>()
  private pending = new Map<string, TokenBatch>()
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly flushTo: (batches: TokenBatch[]) => void,
    readonly windowMs = DEFAULT_BATCH_WINDOW_MS
  ) {}

  /** Adds tokens to a stream; answers the sequence number of the first. */
  push(stream: string, ...tokens: string[]): number {
    if (this.ended.has(stream)) {
      throw new Error(`stream "${stream}" has ended; a stream id is never reused`)
    }
    const from = this.nextSeq.get(stream) ?? 0
    this.nextSeq.set(stream, from + tokens.length)
    const batch = this.pending.get(stream)
    if (batch === undefined) {
      this.pending.set(stream, { stream, from, tokens, done: false })
    } else {
      batch.tokens.push(...tokens)
    }
    this.schedule()
    return from
  }

  /** Marks the stream finished; its last batch carries `done`. */
  end(stream: string): void {
    if (this.ended.has(stream)) return
    this.ended.add(stream)
    const from = this.nextSeq.get(stream) ?? 0
    const batch = this.pending.get(stream)
    if (batch === undefined) {
      this.pending.set(stream, { stream, from, tokens: [], done: true })
    } else {
      batch.done = true
    }
    this.schedule()
  }

  /** The sequence number the stream's next token will get. */
  next(stream: string): number {
    return this.nextSeq.get(stream) ?? 0
  }

  /** Sends what is pending now instead of at the end of the window. */
  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
    if (this.pending.size === 0) return
    const batches = [...this.pending.values()]
    this.pending = new Map()
    this.flushTo(batches)
  }

  /** Flushes and stops the timer; later pushes still work (and schedule again). */
  dispose(): void {
    this.flush()
  }

  private schedule(): void {
    if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined
        this.flush()
      }, this.windowMs)
    }
  }
}
