import { createContext, useContext, type ReactNode } from 'react'
import type { AppHost } from './apiClient.js'
import type { AppStore } from './appStore.js'
import type { StreamStore } from './streamStore.js'

/** What every page reaches: the host client (one interface over IPC or WebSocket) and the app's stores. */
export interface StudioContextValue {
  readonly host: AppHost
  readonly store: AppStore
  readonly streams: StreamStore
}

const StudioContext = createContext<StudioContextValue | null>(null)

export function StudioProvider({ value, children }: { value: StudioContextValue; children: ReactNode }) {
  return <StudioContext.Provider value={value}>{children}</StudioContext.Provider>
}

function useStudio(): StudioContextValue {
  const value = useContext(StudioContext)
  if (value === null) throw new Error('A page was rendered outside <StudioProvider>')
  return value
}

/** The host client: `useHost().api['personas.list']({})`, `useHost().subscribe('run.events', …)`. */
export function useHost(): AppHost {
  return useStudio().host
}

export function useAppStore(): AppStore {
  return useStudio().store
}

export function useStreamStore(): StreamStore {
  return useStudio().streams
}
