import './runs.css'
import { Anchor, Badge, Button, Group, Paper, ScrollArea, Text } from '@mantine/core'
import { useHotkeys } from '@mantine/hooks'
import { Link, useLocation } from 'wouter'
import { useStore } from 'zustand'
import { runStreamId } from '../../../../shared/index.js'
import { PageHeader } from '../../components/PageHeader.js'
import { useStreamStore } from '../../hostContext.js'
import { isEnded } from '../../results/runState.js'
import { formatRate } from '../../results/throughput.js'
import { PHASE_COLOR, useLiveRun, useRunControl } from './RunView.js'

/** One discussion of a run at full size, with its whole text so far, while it runs. */
export function DiscussionFullView({ runId, discussionId }: { runId: string; discussionId: string }) {
  const { store } = useLiveRun(runId)
  const streams = useStreamStore()
  const streamId = runStreamId(runId, discussionId)
  const stream = useStore(streams, (state) => state.streams[streamId])
  const live = useStore(store, (state) => state.runs[runId]?.discussions[discussionId])
  const rate = useStore(store, (state) => state.rates[streamId] ?? null)
  const control = useRunControl(runId)
  const [, navigate] = useLocation()
  const runPath = `/runs/${encodeURIComponent(runId)}`
  useHotkeys([['Escape', () => navigate(runPath)]])
  const phase = live?.phase ?? 'queued'
  const ended = isEnded(phase)
  return (
    <>
      <PageHeader
        title={`Discussion ${discussionId}`}
        description={
          <>
            <Anchor component={Link} href={runPath}>
              Run {runId}
            </Anchor>{' '}
            · Esc goes back to the grid
          </>
        }
        actions={
          <>
            {phase === 'paused' ? (
              <Button variant="default" onClick={() => void control('resume', discussionId)} data-testid="full-resume">
                Resume
              </Button>
            ) : (
              <Button variant="default" disabled={ended} onClick={() => void control('pause', discussionId)} data-testid="full-pause">
                Pause
              </Button>
            )}
            <Button color="red" variant="light" disabled={ended} onClick={() => void control('cancel', discussionId)}>
              Cancel
            </Button>
            {phase === 'finished' && (
              <Button component={Link} href={`/transcripts/${encodeURIComponent(discussionId)}`} data-testid="full-transcript">
                Open transcript
              </Button>
            )}
          </>
        }
      />
      <Group gap="sm" mb="sm">
        <Badge color={PHASE_COLOR[phase]} data-testid="full-phase">
          {phase}
        </Badge>
        <Text size="sm">
          {live?.step !== null && live?.step !== undefined ? `step ${live.step + 1}` : 'not started'}
          {live?.speaker ? ` · last speaker ${live.speaker}` : ''} · {live?.comments ?? 0} comments · {formatRate(ended ? null : rate)}
        </Text>
      </Group>
      <Paper withBorder p="sm">
        <ScrollArea h="calc(100vh - 16rem)">
          <pre className="run-full-text" data-testid="full-text">
            {stream?.text ?? (ended ? 'No tokens of this discussion are held any more: open its transcript.' : 'Waiting for the first tokens…')}
          </pre>
          {stream !== undefined && stream.missing > 0 && <Text c="yellow">[{stream.missing} tokens were no longer available]</Text>}
        </ScrollArea>
      </Paper>
    </>
  )
}
