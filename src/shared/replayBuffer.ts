import type { StreamCursor, TokenBatch } from './tokenStream.js'

/**
 * Where a late or reconnecting subscriber catches up from: everything still held at or after its
 * cursor, per stream, in order. Today an in-memory ring (`ReplayBuffer`); later the run journal.
 */
export interface ReplaySource {
  read(cursor: StreamCursor): TokenBatch[] | Promise<TokenBatch[]>
}

/** Receives every batch the hub sends, before subscribers see it. */
export interface ReplaySink {
  record(batches: readonly TokenBatch[]): void
}

interface HeldStream {
  /** Sequence number of `tokens[0]`. */
  start: number
  tokens: string[]
  done: boolean
}

export interface ReplayBufferLimits {
  /** Tokens kept per stream; older ones are dropped (a subscriber further behind sees a gap). */
  maxTokensPerStream: number
  /** Streams kept; the oldest finished stream goes first, then the oldest. */
  maxStreams: number
}

const DEFAULT_LIMITS: ReplayBufferLimits = { maxTokensPerStream: 20_000, maxStreams: 256 }

/** A bounded in-memory replay source: the recent tokens of the recent streams. */
export class ReplayBuffer implements ReplaySource, ReplaySink {
  private readonly streams = new Map<string, HeldStream>()
  private readonly limits: ReplayBufferLimits

  constructor(limits: Partial<ReplayBufferLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits }
  }

  record(batches: readonly TokenBatch[]): void {
    for (const batch of batches) {
      let held = this.streams.get(batch.stream)
      if (held === undefined) {
        held = { start: batch.from, tokens: [], done: false }
        this.streams.set(batch.stream, held)
        this.evict()
      }
      const end = held.start + held.tokens.length
      if (batch.from > end) {
        // A gap in what was recorded: keep only what follows it, so what is held stays contiguous.
        held.start = batch.from
        held.tokens = [...batch.tokens]
      } else {
        held.tokens.push(...batch.tokens.slice(end - batch.from))
      }
      held.done ||= batch.done
      // Trim in steps of a quarter of the limit, so dropping old tokens is not a copy per batch.
      const limit = this.limits.maxTokensPerStream
      if (held.tokens.length > limit + Math.ceil(limit / 4)) {
        const drop = held.tokens.length - limit
        held.tokens = held.tokens.slice(drop)
        held.start += drop
      }
    }
  }

  read(cursor: StreamCursor): TokenBatch[] {
    const batches: TokenBatch[] = []
    for (const [stream, held] of this.streams) {
      const end = held.start + held.tokens.length
      const wanted = cursor[stream] ?? 0
      const from = Math.max(wanted, held.start)
      if (from < end) {
        batches.push({ stream, from, tokens: held.tokens.slice(from - held.start), done: held.done })
      } else if (held.done && wanted <= end) {
        batches.push({ stream, from: end, tokens: [], done: true })
      }
    }
    return batches
  }

  private evict(): void {
    while (this.streams.size > this.limits.maxStreams) {
      let victim: string | undefined
      for (const [stream, held] of this.streams) {
        if (held.done) {
          victim = stream
          break
        }
      }
      victim ??= this.streams.keys().next().value
      if (victim === undefined) return
      this.streams.delete(victim)
    }
  }
}
