import { useEffect } from 'react'
import { useStore } from 'zustand'
import type { WorkspaceSummary } from '../../shared/index.js'
import type { AppStore } from './appStore.js'
import { ConnectionBadge } from './ConnectionBadge.js'
import { StreamPanes } from './StreamPanes.js'
import type { StreamStore } from './streamStore.js'

export function App({ store, streams }: { store: AppStore; streams: StreamStore }) {
  const info = useStore(store, (state) => state.info)
  const summary = useStore(store, (state) => state.summary)

  useEffect(() => {
    void store.getState().load()
  }, [store])

  return (
    <main className="app">
      <header className="app-header">
        <h1>SDF Studio</h1>
        <ConnectionBadge store={store} />
      </header>
      {info.state === 'loading' && <p>Loading…</p>}
      {info.state === 'failed' && (
        <p className="notice" role="status" data-testid="host-unavailable">
          {info.message}
        </p>
      )}
      {info.state === 'ready' && (
        <p className="meta" data-testid="app-version">
          Version {info.value.version} · {info.value.host} host on {info.value.platform}
        </p>
      )}
      {info.state === 'ready' && summary.state === 'ready' && <SummaryView summary={summary.value} />}
      {info.state === 'ready' && summary.state === 'failed' && (
        <p className="notice" role="status">
          Workspace summary unavailable: {summary.message}
        </p>
      )}
      <StreamPanes store={streams} />
    </main>
  )
}

function SummaryView({ summary }: { summary: WorkspaceSummary | null }) {
  if (summary === null) {
    return <p>No workspace is open.</p>
  }
  const rows = Object.entries(summary.counts)
  return (
    <section aria-label="Workspace summary" data-testid="workspace-summary">
      <h2>Workspace</h2>
      <p className="path">{summary.path}</p>
      <table>
        <tbody>
          {rows.map(([kind, count]) => (
            <tr key={kind}>
              <th scope="row">{kind}</th>
              <td>{count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
