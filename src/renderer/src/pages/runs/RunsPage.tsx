import { Anchor, Badge, Button, Group, Loader, NumberInput, Progress, Select, Table, Text, Tooltip } from '@mantine/core'
import { useCallback, useEffect, useState } from 'react'
import { Link, useLocation } from 'wouter'
import { listEveryRecord, type RunSummary } from '../../../../shared/index.js'
import { EmptyState } from '../../components/EmptyState.js'
import { notifyError } from '../../components/notify.js'
import { PageHeader } from '../../components/PageHeader.js'
import { useHost, useStreamStore } from '../../hostContext.js'
import { liveRunsFor } from '../../results/liveRuns.js'
import { endedCount } from '../../results/runState.js'
import { DiscussionFullView } from './DiscussionFullView.js'
import { RunView } from './RunView.js'

/** `/runs` (every run), `/runs/<runId>` (its live grid), `/runs/<runId>/<discussionId>` (one discussion, full size). */
export function RunsPage() {
  const [location] = useLocation()
  const [, runId, discussionId] = location.split('/').filter((part) => part !== '').map(decodeURIComponent)
  if (runId !== undefined && discussionId !== undefined) return <DiscussionFullView runId={runId} discussionId={discussionId} />
  if (runId !== undefined) return <RunView runId={runId} />
  return <RunList />
}

function manifestText(run: RunSummary, key: string): string | null {
  const value = run.manifest?.[key]
  return typeof value === 'string' ? value : null
}

function RunList() {
  const host = useHost()
  const streams = useStreamStore()
  const [, navigate] = useLocation()
  const resume = async (runId: string) => {
    try {
      const resumed = await host.api['runs.resumeInterrupted']({ runId, concurrency: 2 })
      navigate(`/runs/${encodeURIComponent(resumed.runId)}`)
    } catch (error) {
      notifyError(`Could not continue run ${runId}`, error)
    }
  }
  const [runs, setRuns] = useState<RunSummary[] | null>(null)
  const reload = useCallback(() => {
    host.api['runs.list']({}).then(
      (listing) => setRuns([...listing.runs].sort((a, b) => (manifestText(b, 'created_at') ?? '').localeCompare(manifestText(a, 'created_at') ?? ''))),
      (error: unknown) => {
        setRuns([])
        notifyError('Could not list the runs', error)
      }
    )
  }, [host])
  useEffect(() => {
    reload()
    // Counts change as runs move; the live store keeps the grid itself current.
    liveRunsFor(host, streams)
    const stop = host.subscribe('run.events', { onEvent: (event) => event.kind !== 'step' && event.kind !== 'turn-started' && reload() })
    return stop
  }, [host, streams, reload])
  return (
    <>
      <PageHeader title="Runs" description="Every run of this workspace. Open one to watch its discussions being generated." />
      <StartRun onStarted={reload} />
      {runs === null && <Loader size="sm" />}
      {runs !== null && runs.length === 0 && (
        <EmptyState title="No runs yet" action={<Anchor href="#/designer">Open the designer</Anchor>}>
          Design an experiment in the Designer and launch it, or pick a saved design above and press Start. A run needs a
          loaded model (Models page).
        </EmptyState>
      )}
      {runs !== null && runs.length > 0 && (
        <Table striped highlightOnHover data-testid="runs-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Run</Table.Th>
              <Table.Th>Started</Table.Th>
              <Table.Th>Design</Table.Th>
              <Table.Th>Model</Table.Th>
              <Table.Th w={220}>Progress</Table.Th>
              <Table.Th>State</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {runs.map((run) => {
              const ended = endedCount(run.counts)
              const model = run.manifest?.['model'] as { name?: unknown } | null | undefined
              return (
                <Table.Tr key={run.id} data-testid="run-row" data-run={run.id}>
                  <Table.Td>
                    <Anchor component={Link} href={`/runs/${encodeURIComponent(run.id)}`} data-testid="open-run">
                      {run.id}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{manifestText(run, 'created_at')?.replace('T', ' ').slice(0, 19) ?? '—'}</Table.Td>
                  <Table.Td>{manifestText(run, 'design_id') ?? '—'}</Table.Td>
                  <Table.Td>{typeof model?.name === 'string' ? model.name : '—'}</Table.Td>
                  <Table.Td>
                    <Tooltip label={`${run.counts.finished} finished, ${run.counts.failed} failed, ${run.counts.cancelled} cancelled, ${run.counts.pending} pending`}>
                      <Group gap="xs" wrap="nowrap">
                        <Progress value={run.counts.total === 0 ? 0 : (ended / run.counts.total) * 100} w={140} />
                        <Text size="xs">
                          {ended}/{run.counts.total}
                        </Text>
                      </Group>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td>
                    {run.active ? (
                      <Badge color="green">running</Badge>
                    ) : run.counts.pending > 0 ? (
                      <Group gap={6} wrap="nowrap">
                        <Badge color="yellow">interrupted</Badge>
                        <Button size="compact-xs" variant="light" onClick={() => void resume(run.id)} data-testid="resume-interrupted">
                          Continue
                        </Button>
                      </Group>
                    ) : (
                      <Badge color="gray">done</Badge>
                    )}
                    {run.problems.length > 0 && (
                      <Tooltip label={run.problems.join('\n')} multiline w={360}>
                        <Badge color="red" ml={4}>
                          {run.problems.length} problem{run.problems.length === 1 ? '' : 's'}
                        </Badge>
                      </Tooltip>
                    )}
                  </Table.Td>
                </Table.Tr>
              )
            })}
          </Table.Tbody>
        </Table>
      )}
    </>
  )
}

/** Starts a saved design on the host's loaded model. */
function StartRun({ onStarted }: { onStarted: () => void }) {
  const host = useHost()
  const [, navigate] = useLocation()
  const [designs, setDesigns] = useState<{ value: string; label: string }[]>([])
  const [designId, setDesignId] = useState<string | null>(null)
  const [concurrency, setConcurrency] = useState<number>(4)
  const [starting, setStarting] = useState(false)
  useEffect(() => {
    listEveryRecord((page) => host.api['designs.list'](page)).then(
      (listing) =>
        setDesigns(listing.items.map((item) => ({ value: item.id, label: typeof item['name'] === 'string' && item['name'] !== '' ? `${item['name']} (${item.id})` : item.id }))),
      () => setDesigns([])
    )
  }, [host])
  const start = async () => {
    if (designId === null) return
    setStarting(true)
    try {
      const started = await host.api['runs.start']({ designId, concurrency })
      onStarted()
      navigate(`/runs/${encodeURIComponent(started.runId)}`)
    } catch (error) {
      notifyError('Could not start the run', error)
    } finally {
      setStarting(false)
    }
  }
  if (designs.length === 0) return null
  return (
    <Group align="flex-end" mb="md" data-testid="start-run">
      <Select label="Design" placeholder="Choose a saved design" data={designs} value={designId} onChange={setDesignId} searchable w={280} data-testid="start-run-design" />
      <NumberInput label="Discussions at once" min={1} max={64} value={concurrency} onChange={(value) => setConcurrency(typeof value === 'number' ? value : 1)} w={160} />
      <Button onClick={() => void start()} loading={starting} disabled={designId === null} data-testid="start-run-button">
        Start
      </Button>
    </Group>
  )
}
