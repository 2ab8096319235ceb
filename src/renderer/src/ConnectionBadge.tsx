import { useStore } from 'zustand'
import type { AppStore } from './appStore.js'

const LABELS = {
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Connection lost, reconnecting…',
  closed: 'Not connected'
} as const

/** The link to the host, always visible: a page that silently stops updating looks like a hung run. */
export function ConnectionBadge({ store }: { store: AppStore }) {
  const connection = useStore(store, (state) => state.connection)
  return (
    <p className={`connection connection-${connection.state}`} role="status" data-testid="connection-state" data-state={connection.state}>
      {LABELS[connection.state]}
      {connection.state === 'reconnecting' && connection.attempt > 0 && ` (attempt ${connection.attempt + 1})`}
    </p>
  )
}
