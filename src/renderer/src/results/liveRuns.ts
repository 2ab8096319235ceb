import { useEffect } from 'react'
import { createStore } from 'zustand/vanilla'
import { runStreamId } from '../../../shared/index.js'
import type { AppHost } from '../apiClient.js'
import type { StreamStore } from '../streamStore.js'
import { applyRunEvent, applyRunStatus, seedRun, type LiveRun } from './runState.js'
import { addSample, tokensPerSecond, type TokenSample } from './throughput.js'

export interface LiveRunsState {
  runs: Record<string, LiveRun>
  /** Tokens per second of each stream (`<runId>/<discussionId>`), sampled once a second. */
  rates: Record<string, number | null>
  /** Adds a run the page learned of from `runs.list`, keeping what events already said. */
  seed(runId: string, discussionIds: readonly string[]): void
  /** Reads the host's `runs.status` of a run into the store; answers whether it is still active. */
  refresh(runId: string): Promise<boolean>
}

export type LiveRunsStore = ReturnType<typeof makeStore>

function makeStore(host: AppHost, streams: StreamStore) {
  const store = createStore<LiveRunsState>()((set, get) => ({
    runs: {},
    rates: {},
    seed(runId, discussionIds) {
      const existing = get().runs[runId]
      if (existing !== undefined) {
        const missing = discussionIds.filter((id) => existing.discussions[id] === undefined)
        if (missing.length === 0) return
        const extra = seedRun(runId, missing, existing.firstSeenMs)
        set({
          runs: {
            ...get().runs,
            [runId]: { ...existing, order: [...existing.order, ...missing], discussions: { ...existing.discussions, ...extra.discussions } }
          }
        })
        return
      }
      set({ runs: { ...get().runs, [runId]: seedRun(runId, discussionIds, Date.now()) } })
    },
    async refresh(runId) {
      const status = await host.api['runs.status']({ runId })
      set({ runs: { ...get().runs, [runId]: applyRunStatus(get().runs[runId], status, Date.now()) } })
      return status.active
    }
  }))
  // Run events are live only: subscribe at once and for the app's lifetime, so that a page opened
  // later still knows what happened while the user was elsewhere.
  host.subscribe('run.events', {
    onEvent(event) {
      const runs = store.getState().runs
      store.setState({ runs: { ...runs, [event.runId]: applyRunEvent(runs[event.runId], event, Date.now()) } })
    }
  })
  streams.getState().start()
  const samples = new Map<string, TokenSample[]>()
  setInterval(() => {
    const now = performance.now()
    const { streams: texts } = streams.getState()
    const rates: Record<string, number | null> = {}
    for (const [id, stream] of Object.entries(texts)) {
      const next = addSample(samples.get(id) ?? [], { atMs: now, tokens: stream.next })
      samples.set(id, next)
      rates[id] = stream.done ? null : tokensPerSecond(next)
    }
    store.setState({ rates })
  }, 1_000)
  return store
}

const stores = new WeakMap<AppHost, LiveRunsStore>()

/** The one live-runs store of a host (made on first use). */
export function liveRunsFor(host: AppHost, streams: StreamStore): LiveRunsStore {
  let store = stores.get(host)
  if (store === undefined) {
    store = makeStore(host, streams)
    stores.set(host, store)
  }
  return store
}

/** Seeds the store with a run's discussions once they are known. */
export function useSeedRun(store: LiveRunsStore, runId: string, discussionIds: readonly string[] | null): void {
  const key = discussionIds?.join(',') ?? ''
  useEffect(() => {
    if (discussionIds !== null) store.getState().seed(runId, discussionIds)
  }, [store, runId, key])
}

export { runStreamId }
