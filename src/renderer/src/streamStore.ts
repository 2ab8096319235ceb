import { createStore } from 'zustand/vanilla'
import { StreamReader, type StreamText } from '../../shared/index.js'
import type { AppHost } from './apiClient.js'

export interface StreamState {
  /** Stream ids in the order they first appeared. */
  order: string[]
  streams: Record<string, StreamText>
  /** Subscribes to the host's token streams (once for every caller); answers the caller's function that stops. */
  start(): () => void
}

/**
 * Live token streams. The reader applies batches by sequence number and its cursor is sent on every
 * (re)subscription, so after a reconnect the host replays exactly what the page missed.
 */
export function createStreamStore(host: AppHost) {
  const reader = new StreamReader()
  let stop: (() => void) | null = null
  // Pages start and stop the subscription as they mount and unmount, and a new page can start it
  // before the old one stops it: counted, so the last user, not the first to leave, ends it.
  let users = 0
  return createStore<StreamState>()((set, get) => ({
    order: [],
    streams: {},
    start() {
      users += 1
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
      let released = false
      return () => {
        if (released) return
        released = true
        users -= 1
        if (users > 0) return
        stop?.()
        stop = null
      }
    }
  }))
}

export type StreamStore = ReturnType<typeof createStreamStore>
