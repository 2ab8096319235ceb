import type { StreamCursor, TokenBatch } from './tokenStream.js'

export interface StreamText {
  readonly text: string
  /** Sequence number of the next token this reader needs. */
  readonly next: number
  readonly done: boolean
  /**
   * Tokens that never arrived: the host no longer held them when this reader caught up (its replay
   * window is bounded). Zero in normal operation; shown, never hidden.
   */
  readonly missing: number
}

/**
 * The receiving end of token streams: applies batches by sequence number, so a batch seen twice (a
 * replay after a reconnect overlapping what arrived live) changes nothing, and its `cursor()` is
 * what a resubscription sends to catch up.
 */
export class StreamReader {
  private readonly streams = new Map<string, { chunks: string[]; text: string | null; next: number; done: boolean; missing: number }>()

  /** Applies batches; answers the ids of the streams that changed. */
  apply(batches: readonly TokenBatch[]): string[] {
    const changed = new Set<string>()
    for (const batch of batches) {
      let state = this.streams.get(batch.stream)
      if (state === undefined) {
        // A stream first met after its start (the host had dropped its beginning) counts as missing from 0.
        state = { chunks: [], text: '', next: 0, done: false, missing: 0 }
        this.streams.set(batch.stream, state)
      }
      if (batch.from > state.next) {
        state.missing += batch.from - state.next
        state.next = batch.from
      }
      const skip = state.next - batch.from
      if (skip < batch.tokens.length) {
        const fresh = batch.tokens.slice(skip)
        state.chunks.push(fresh.join(''))
        state.text = null
        state.next += fresh.length
        changed.add(batch.stream)
      }
      if (batch.done && !state.done) {
        state.done = true
        changed.add(batch.stream)
      }
    }
    return [...changed]
  }

  get(stream: string): StreamText | undefined {
    const state = this.streams.get(stream)
    if (state === undefined) return undefined
    if (state.text === null) {
      state.text = state.chunks.join('')
      state.chunks = [state.text]
    }
    return { text: state.text, next: state.next, done: state.done, missing: state.missing }
  }

  streamIds(): string[] {
    return [...this.streams.keys()]
  }

  /** For each stream, the next sequence number needed: what a resubscription asks the host for. */
  cursor(): StreamCursor {
    const cursor: StreamCursor = {}
    for (const [stream, state] of this.streams) {
      cursor[stream] = state.next
    }
    return cursor
  }
}
