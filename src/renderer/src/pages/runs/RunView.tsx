import './runs.css'
import { ActionIcon, Anchor, Badge, Button, Group, Paper, Progress, SimpleGrid, Text, Tooltip } from '@mantine/core'
import { useHotkeys } from '@mantine/hooks'
import { useEffect, useMemo, useState } from 'react'
import { Link, useLocation } from 'wouter'
import { useStore } from 'zustand'
import { runStreamId, type RunSummary } from '../../../../shared/index.js'
import { EmptyState } from '../../components/EmptyState.js'
import { notifyError } from '../../components/notify.js'
import { PageHeader } from '../../components/PageHeader.js'
import { useHost, useStreamStore } from '../../hostContext.js'
import { liveRunsFor, useSeedRun, type LiveRunsStore } from '../../results/liveRuns.js'
import { endedCount, isEnded, type DiscussionPhase } from '../../results/runState.js'
import { etaSeconds, formatDuration, formatRate } from '../../results/throughput.js'
import { HardwareStrip } from './HardwareStrip.js'

/** How many characters of a pane's stream are laid out: with 64 panes, frame time is what matters. */
export const PANE_TAIL_CHARS = 360

export const PHASE_COLOR: Record<DiscussionPhase, string> = {
  queued: 'gray',
  running: 'blue',
  paused: 'yellow',
  finished: 'green',
  failed: 'red',
  cancelled: 'dark',
  interrupted: 'orange'
}

export type RunAction = 'pause' | 'resume' | 'cancel'

export function useRunControl(runId: string) {
  const host = useHost()
  return async (action: RunAction, discussionId?: string) => {
    try {
      await host.api[`runs.${action}`](discussionId === undefined ? { runId } : { runId, discussionId })
    } catch (error) {
      notifyError(`Could not ${action} ${discussionId === undefined ? 'the run' : `discussion ${discussionId}`}`, error)
    }
  }
}

export function useLiveRun(runId: string): { store: LiveRunsStore; summary: RunSummary | null | undefined } {
  const host = useHost()
  const streams = useStreamStore()
  const store = useMemo(() => liveRunsFor(host, streams), [host, streams])
  const [summary, setSummary] = useState<RunSummary | null | undefined>(undefined)
  useEffect(() => {
    let cancelled = false
    host.api['runs.list']({}).then(
      (listing) => !cancelled && setSummary(listing.runs.find((run) => run.id === runId) ?? null),
      (error: unknown) => {
        if (!cancelled) setSummary(null)
        notifyError('Could not read the run', error)
      }
    )
    return () => {
      cancelled = true
    }
  }, [host, runId])
  const ids = summary?.manifest?.['discussion_ids']
  useSeedRun(store, runId, Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : null)
  // The host's own view of each discussion (state, speaker, step): events say what changes, this
  // fills in what a page opened mid-run missed and who is speaking now. Polled while the run is active.
  useEffect(() => {
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const poll = () =>
      store
        .getState()
        .refresh(runId)
        .then(
          (active) => {
            if (active && !stopped) timer = setTimeout(poll, 2_000)
          },
          () => undefined
        )
    void poll()
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }, [store, runId])
  return { store, summary }
}

export function RunView({ runId }: { runId: string }) {
  const { store, summary } = useLiveRun(runId)
  const run = useStore(store, (state) => state.runs[runId])
  const rates = useStore(store, (state) => state.rates)
  const control = useRunControl(runId)
  const [, navigate] = useLocation()
  useHotkeys([
    ['p', () => void control('pause')],
    ['r', () => void control('resume')],
    ['Escape', () => navigate('/runs')]
  ])
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000)
    return () => clearInterval(timer)
  }, [])

  const progress = run?.progress ?? summary?.counts ?? null
  const ended = endedCount(progress)
  const total = progress?.total ?? run?.order.length ?? 0
  const prefix = `${runId}/`
  const totalRate = Object.entries(rates).reduce((sum, [id, rate]) => (id.startsWith(prefix) && rate !== null ? sum + rate : sum), 0)
  const active = run !== undefined && !run.finished && (summary?.active ?? true) && ended < total
  // From the run's own start when its manifest says (a page opened mid-run), else from when this page first saw it.
  const createdAt = summary?.manifest?.['created_at']
  const startedMs = typeof createdAt === 'string' && Number.isFinite(Date.parse(createdAt)) ? Date.parse(createdAt) : (run?.firstSeenMs ?? now)
  const eta = active ? etaSeconds({ total, ended }, now - startedMs) : null

  return (
    <>
      <PageHeader
        title={`Run ${runId}`}
        description={
          <>
            <Anchor component={Link} href="/runs">
              All runs
            </Anchor>{' '}
            · keys: P pause all, R resume all, Esc back
          </>
        }
        actions={
          <>
            <Button variant="default" onClick={() => void control('pause')} data-testid="run-pause" disabled={!active}>
              Pause run
            </Button>
            <Button variant="default" onClick={() => void control('resume')} data-testid="run-resume" disabled={!active}>
              Resume run
            </Button>
            <Button color="red" variant="light" onClick={() => void control('cancel')} data-testid="run-cancel" disabled={!active}>
              Cancel run
            </Button>
          </>
        }
      />
      <SimpleGrid cols={{ base: 2, md: 4 }} mb="md">
        <Stat label="Progress" testId="run-progress">
          <Progress value={total === 0 ? 0 : (ended / total) * 100} mb={4} />
          {ended}/{total} ended{progress !== null && progress.failed > 0 ? ` · ${progress.failed} failed` : ''}
        </Stat>
        <Stat label="Total speed" testId="run-rate">
          {active ? formatRate(totalRate) : '—'}
        </Stat>
        <Stat label="Time left" testId="run-eta">
          {active ? formatDuration(eta) : run?.finished || (summary !== undefined && ended === total && total > 0) ? 'done' : '—'}
        </Stat>
        <HardwareStrip />
      </SimpleGrid>
      {summary === null && run === undefined && <EmptyState title="No such run">This workspace has no run “{runId}”. Pick one from the list of runs.</EmptyState>}
      {run !== undefined && run.order.length > 0 && (
        <div className="run-grid" data-testid="run-grid" aria-label="Discussions of this run">
          {run.order.map((id) => (
            <DiscussionPane key={id} runId={runId} discussionId={id} store={store} control={control} />
          ))}
        </div>
      )}
    </>
  )
}

function Stat({ label, testId, children }: { label: string; testId: string; children: React.ReactNode }) {
  return (
    <Paper withBorder p="xs" data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </Paper>
  )
}

function DiscussionPane({
  runId,
  discussionId,
  store,
  control
}: {
  runId: string
  discussionId: string
  store: LiveRunsStore
  control: (action: RunAction, discussionId?: string) => Promise<void>
}) {
  const streams = useStreamStore()
  const streamId = runStreamId(runId, discussionId)
  const live = useStore(store, (state) => state.runs[runId]?.discussions[discussionId])
  const rate = useStore(store, (state) => state.rates[streamId] ?? null)
  // Only the tail is selected, so a pane re-renders when its own visible text changes.
  const tail = useStore(streams, (state) => {
    const text = state.streams[streamId]?.text ?? ''
    return text.length > PANE_TAIL_CHARS ? `…${text.slice(-PANE_TAIL_CHARS)}` : text
  })
  const tokens = useStore(streams, (state) => state.streams[streamId]?.next ?? 0)
  const phase = live?.phase ?? 'queued'
  const ended = isEnded(phase)
  return (
    <section className="run-pane" data-testid="run-pane" data-discussion={discussionId} data-phase={phase} data-tokens={tokens} aria-label={`Discussion ${discussionId}`}>
      <Group justify="space-between" px={6} py={4} wrap="nowrap" gap={4}>
        <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
          <Badge size="xs" color={PHASE_COLOR[phase]} data-testid="pane-phase">
            {phase}
          </Badge>
          <Text size="xs" fw={600} truncate title={discussionId}>
            {discussionId}
          </Text>
        </Group>
        <Group gap={2} wrap="nowrap">
          {phase === 'paused' ? (
            <Tooltip label="Resume">
              <ActionIcon size="sm" variant="subtle" onClick={() => void control('resume', discussionId)} aria-label={`Resume ${discussionId}`} data-testid="pane-resume">
                ▶
              </ActionIcon>
            </Tooltip>
          ) : (
            <Tooltip label="Pause">
              <ActionIcon size="sm" variant="subtle" disabled={ended} onClick={() => void control('pause', discussionId)} aria-label={`Pause ${discussionId}`} data-testid="pane-pause">
                ❚❚
              </ActionIcon>
            </Tooltip>
          )}
          <Tooltip label="Cancel">
            <ActionIcon size="sm" variant="subtle" color="red" disabled={ended} onClick={() => void control('cancel', discussionId)} aria-label={`Cancel ${discussionId}`} data-testid="pane-cancel">
              ✕
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Open full size">
            <ActionIcon
              size="sm"
              variant="subtle"
              component={Link}
              href={`/runs/${encodeURIComponent(runId)}/${encodeURIComponent(discussionId)}`}
              aria-label={`Open ${discussionId}`}
              data-testid="pane-open"
            >
              ⤢
            </ActionIcon>
          </Tooltip>
        </Group>
      </Group>
      <Text size="xs" c="dimmed" px={6} truncate data-testid="pane-meta">
        {live?.step !== null && live?.step !== undefined ? `step ${live.step + 1}` : 'not started'}
        {live?.speaker ? ` · ${live.speaker}` : ''} · {live?.comments ?? 0} comments · {formatRate(ended ? null : rate)} · {tokens} tok
      </Text>
      <pre className="run-pane-text" data-testid="pane-text">
        {tail}
        {live?.reason ? `\n[${live.reason}]` : ''}
      </pre>
    </section>
  )
}

