import { createStore } from 'zustand/vanilla'
import type { AppInfo, ConnectionStatus, WorkspaceSummary } from '../../shared/index.js'
import type { AppHost } from './apiClient.js'

/** What the window shows about a part that loads: nothing yet, the value, or why it failed. */
export type Loadable<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly value: T }
  | { readonly state: 'failed'; readonly message: string }

export interface AppState {
  info: Loadable<AppInfo>
  /** `ready` with null when the host has no workspace open. */
  summary: Loadable<WorkspaceSummary | null>
  connection: ConnectionStatus
  /** Loads once, then keeps the summary fresh: on workspace changes and after a reconnect. */
  load(): Promise<void>
  refresh(): Promise<void>
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The app store: it talks only to the host client it is given. */
export function createAppStore(host: AppHost) {
  let started = false
  return createStore<AppState>()((set, get) => ({
    info: { state: 'loading' },
    summary: { state: 'loading' },
    connection: host.status(),
    async load() {
      if (started) {
        return
      }
      started = true
      // The link may have come up between the store's creation and now.
      let wasOpen = host.status().state === 'open'
      set({ connection: host.status() })
      host.onStatus((connection) => {
        set({ connection })
        // What changed while the link was down is unknown: read it again.
        if (connection.state === 'open' && !wasOpen) void get().refresh()
        wasOpen = connection.state === 'open'
      })
      host.subscribe('workspace.changed', { onEvent: () => void get().refresh() })
      await get().refresh()
    },
    async refresh() {
      let info: AppInfo
      try {
        info = await host.api['app.info']({})
        set({ info: { state: 'ready', value: info } })
      } catch (error) {
        const message = messageOf(error)
        set({ info: { state: 'failed', message }, summary: { state: 'failed', message } })
        return
      }
      if (info.workspacePath === null) {
        set({ summary: { state: 'ready', value: null } })
        return
      }
      try {
        const summary = await host.api['workspace.summary']({})
        set({ summary: { state: 'ready', value: summary } })
      } catch (error) {
        set({ summary: { state: 'failed', message: messageOf(error) } })
      }
    }
  }))
}

export type AppStore = ReturnType<typeof createAppStore>
