import { ReplayBuffer, type ReplaySink, type ReplaySource } from './replayBuffer.js'
import { DEFAULT_BATCH_WINDOW_MS, TokenCoalescer } from './tokenCoalescer.js'
import type { StreamCursor, TokenBatch, TokenBatches } from './tokenStream.js'

export interface StreamHubOptions {
  windowMs?: number
  /** Where late subscribers catch up from; an in-memory `ReplayBuffer` unless given. */
  replay?: ReplaySource
  /** Told every batch before subscribers; the default buffer records itself. */
  sink?: ReplaySink
  /** Replayed batches go out in groups of this many, so one late subscriber never gets one huge message. */
  replayGroupSize?: number
}

interface Subscriber {
  send: (payload: TokenBatches) => void
  /** Per stream, the sequence number of the next token this subscriber needs. */
  next: Map<string, number>
  /** Streams whose `done` this subscriber has had. */
  finished: Set<string>
  /** While the replay is being read, live batches wait here. */
  waiting: TokenBatch[][] | null
}

/**
 * Token streams from producers (the discussion engine, later; synthetic streams in tests) to any
 * number of subscribers. Each subscriber gets each token exactly once and in order: a late one
 * first catches up from the replay source, and live batches are trimmed to what it has not had.
 * The reader on the other side (`StreamReader`) is idempotent as well, so a reconnect that
 * replays from its cursor shows nothing twice.
 */
export class StreamHub {
  private readonly coalescer: TokenCoalescer
  private readonly replay: ReplaySource
  private readonly sink: ReplaySink | undefined
  private readonly replayGroupSize: number
  private readonly subscribers = new Set<Subscriber>()

  constructor(options: StreamHubOptions = {}) {
    const buffer = options.replay === undefined ? new ReplayBuffer() : undefined
    this.replay = options.replay ?? (buffer as ReplayBuffer)
    this.sink = options.sink ?? buffer
    this.replayGroupSize = options.replayGroupSize ?? 64
    this.coalescer = new TokenCoalescer((batches) => this.publish(batches), options.windowMs ?? DEFAULT_BATCH_WINDOW_MS)
  }

  /** Appends tokens to a stream (created on first use); answers the first token's sequence number. */
  append(stream: string, ...tokens: string[]): number {
    return this.coalescer.push(stream, ...tokens)
  }

  end(stream: string): void {
    this.coalescer.end(stream)
  }

  /** The sequence number the stream's next token will get. */
  next(stream: string): number {
    return this.coalescer.next(stream)
  }

  flush(): void {
    this.coalescer.flush()
  }

  get subscriberCount(): number {
    return this.subscribers.size
  }

  /**
   * Sends the subscriber what it missed since `cursor` (everything held, for streams it does not
   * name), then every live batch. Resolves to the function that ends the subscription.
   */
  async subscribe(send: (payload: TokenBatches) => void, cursor: StreamCursor = {}): Promise<() => void> {
    const subscriber: Subscriber = {
      send,
      next: new Map(Object.entries(cursor)),
      finished: new Set(),
      waiting: []
    }
    // Registered before the replay is read, so that nothing published meanwhile is missed.
    this.subscribers.add(subscriber)
    const unsubscribe = () => {
      this.subscribers.delete(subscriber)
    }
    try {
      const replayed = await this.replay.read(cursor)
      for (let i = 0; i < replayed.length; i += this.replayGroupSize) {
        this.deliver(subscriber, replayed.slice(i, i + this.replayGroupSize))
      }
      for (const batches of subscriber.waiting ?? []) {
        this.deliver(subscriber, batches)
      }
    } catch (error) {
      unsubscribe()
      throw error
    } finally {
      subscriber.waiting = null
    }
    return unsubscribe
  }

  /** Flushes what is pending and drops every subscriber. */
  close(): void {
    this.coalescer.dispose()
    this.subscribers.clear()
  }

  private publish(batches: TokenBatch[]): void {
    this.sink?.record(batches)
    for (const subscriber of this.subscribers) {
      if (subscriber.waiting !== null) {
        subscriber.waiting.push(batches)
      } else {
        this.deliver(subscriber, batches)
      }
    }
  }

  private deliver(subscriber: Subscriber, batches: readonly TokenBatch[]): void {
    const fresh: TokenBatch[] = []
    for (const batch of batches) {
      const trimmed = trimToUnseen(subscriber, batch)
      if (trimmed !== null) fresh.push(trimmed)
    }
    if (fresh.length > 0) {
      try {
        subscriber.send({ batches: fresh })
      } catch {
        // A subscriber whose channel broke is dropped; it catches up by cursor when it comes back.
        this.subscribers.delete(subscriber)
      }
    }
  }
}

/** The part of a batch this subscriber has not had yet, or null when it has had all of it. */
function trimToUnseen(subscriber: Subscriber, batch: TokenBatch): TokenBatch | null {
  const end = batch.from + batch.tokens.length
  const have = subscriber.next.get(batch.stream)
  const skip = have === undefined ? 0 : Math.max(0, have - batch.from)
  const newDone = batch.done && !subscriber.finished.has(batch.stream)
  if (skip >= batch.tokens.length && batch.tokens.length > 0 && !newDone) return null
  if (batch.tokens.length === 0 && !newDone) return null
  subscriber.next.set(batch.stream, Math.max(end, have ?? 0))
  if (batch.done) subscriber.finished.add(batch.stream)
  if (skip === 0) return batch
  const from = Math.min(batch.from + skip, end)
  return { stream: batch.stream, from, tokens: batch.tokens.slice(skip), done: batch.done }
}
