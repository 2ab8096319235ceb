import { createStore } from 'zustand/vanilla'
import type { AppInfo, WorkspaceSummary } from '../../shared/index.js'
import type { AppClient } from './apiClient.js'

/** What the window shows about a part that loads: nothing yet, the value, or why it failed. */
export type Loadable<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly value: T }
  | { readonly state: 'failed'; readonly message: string }

export interface AppState {
  info: Loadable<AppInfo>
  /** `ready` with null when the host has no workspace open. */
  summary: Loadable<WorkspaceSummary | null>
  load(): Promise<void>
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The app store: it talks only to the client it is given. */
export function createAppStore(client: AppClient) {
  let started = false
  return createStore<AppState>()((set) => ({
    info: { state: 'loading' },
    summary: { state: 'loading' },
    async load() {
      if (started) {
        return
      }
      started = true
      let info: AppInfo
      try {
        info = await client['app.info']({})
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
        const summary = await client['workspace.summary']({ path: info.workspacePath })
        set({ summary: { state: 'ready', value: summary } })
      } catch (error) {
        set({ summary: { state: 'failed', message: messageOf(error) } })
      }
    }
  }))
}

export type AppStore = ReturnType<typeof createAppStore>
