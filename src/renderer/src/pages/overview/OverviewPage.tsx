import { Alert, Loader, Table, Text } from '@mantine/core'
import { useStore } from 'zustand'
import type { WorkspaceSummary } from '../../../../shared/index.js'
import { PageHeader } from '../../components/PageHeader.js'
import { useAppStore, useStreamStore } from '../../hostContext.js'
import { StreamPanes } from '../../StreamPanes.js'

export function OverviewPage() {
  const store = useAppStore()
  const streams = useStreamStore()
  const info = useStore(store, (state) => state.info)
  const summary = useStore(store, (state) => state.summary)
  return (
    <>
      <PageHeader
        title="Overview"
        description={
          info.state === 'ready' ? (
            <span data-testid="app-version">
              Version {info.value.version} · {info.value.host} host on {info.value.platform}
            </span>
          ) : undefined
        }
      />
      {info.state === 'loading' && <Loader size="sm" />}
      {info.state === 'failed' && (
        <Alert color="yellow" role="status" data-testid="host-unavailable">
          {info.message}
        </Alert>
      )}
      {info.state === 'ready' && summary.state === 'ready' && <SummaryView summary={summary.value} />}
      {info.state === 'ready' && summary.state === 'failed' && (
        <Alert color="yellow" role="status">
          Workspace summary unavailable: {summary.message}
        </Alert>
      )}
      <StreamPanes store={streams} />
    </>
  )
}

function SummaryView({ summary }: { summary: WorkspaceSummary | null }) {
  if (summary === null) {
    return <Text>No workspace is open.</Text>
  }
  const rows = Object.entries(summary.counts)
  return (
    <section aria-label="Workspace summary" data-testid="workspace-summary">
      <Text c="dimmed" size="sm" mb="xs">
        {summary.path}
      </Text>
      <Table w="auto" withRowBorders={false}>
        <Table.Tbody>
          {rows.map(([kind, count]) => (
            <Table.Tr key={kind}>
              <Table.Th scope="row">{kind}</Table.Th>
              <Table.Td>{count}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </section>
  )
}
