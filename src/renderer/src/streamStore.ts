import { createStore } from 'zustand/vanilla'
import { StreamReader, type StreamText } from '../../shared/index.js'
import type { AppHost } from './apiClient.js'

export interface StreamState {
  /** Stream ids in the order they first appeared. */
  order: string[]
  streams: Record<string, StreamText>
  /** Subscribes (once) to the host's token streams; answers the function that stops. */
  start(): () => void
}

/**
 * Live token streams. The reader applies batches by sequence number and its cursor is sent on every
 * (re)subscription, so after a reconnect the host replays exactly what the page missed.
 */
export function createStreamStore(host: AppHost) {
  const reader = new StreamReader()
  let stop: (() => void) | null = null
  return createStore<StreamState>()((set, get) => ({
    order: [],
    streams: {},
    start() {
      stop ??= host.subscribe('stream.tokens', {
        cursor: () => reader.cursor(),
        onEvent({ batches }) {
          const changed = reader.apply(batches)
          if (changed.length === 0) return
          const { order, streams } = get()
          const next = { ...streams }
          const added: string[] = []
          for (const id of changed) {
            if (next[id] === undefined) added.push(id)
            const text = reader.get(id)
            if (text !== undefined) next[id] = text
          }
          set({ streams: next, order: added.length > 0 ? [...order, ...added] : order })
        }
      })
      return () => {
        stop?.()
        stop = null
      }
    }
  }))
}

export type StreamStore = ReturnType<typeof createStreamStore>
