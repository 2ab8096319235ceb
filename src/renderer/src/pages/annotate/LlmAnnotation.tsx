import { Anchor, Button, Checkbox, Group, Loader, MultiSelect, NumberInput, Paper, Progress, SegmentedControl, Stack, Text } from '@mantine/core'
import { useEffect, useState } from 'react'
import type { AnnotationEventPayload } from '../../../../shared/index.js'
import { EmptyState } from '../../components/EmptyState.js'
import { notifyError, notifySuccess } from '../../components/notify.js'
import { useHost } from '../../hostContext.js'
import { useAnnotators, useDiscussionIds } from './useAnnotators.js'

interface JobView {
  jobId: string
  progress: AnnotationEventPayload['progress']
  finished: boolean
  log: string[]
}

export function LlmAnnotation({ preselected }: { preselected: string | null }) {
  const host = useHost()
  const annotators = useAnnotators()
  const discussionIds = useDiscussionIds()
  const [chosen, setChosen] = useState<string[]>([])
  const [scope, setScope] = useState<'all' | 'some'>(preselected === null ? 'all' : 'some')
  const [discussions, setDiscussions] = useState<string[]>(preselected === null ? [] : [preselected])
  const [concurrency, setConcurrency] = useState(2)
  const [job, setJob] = useState<JobView | null>(null)
  const [starting, setStarting] = useState(false)

  useEffect(
    () =>
      host.subscribe('annotation.events', {
        onEvent(event) {
          setJob((current) => {
            if (current === null || current.jobId !== event.jobId) return current
            const line =
              event.kind === 'annotation'
                ? `${event.discussionId ?? ''} #${(event.commentIndex ?? 0) + 1} annotated by ${event.annotatorId ?? ''}`
                : event.kind === 'failed'
                  ? `failed: ${event.discussionId ?? ''}: ${event.message ?? ''}`
                  : event.kind === 'job-finished'
                    ? `finished${event.message ? `: ${event.message}` : ''}`
                    : 'started'
            if (event.kind === 'job-finished') notifySuccess('Annotation finished', `${event.progress.done - event.progress.failed} labelled, ${event.progress.failed} failed`)
            return { ...current, progress: event.progress, finished: event.kind === 'job-finished', log: [line, ...current.log].slice(0, 50) }
          })
        }
      }),
    [host]
  )

  const start = async () => {
    setStarting(true)
    try {
      const { jobId } = await host.api['annotations.startJob']({ annotatorIds: chosen, discussionIds: scope === 'all' ? 'all' : discussions, concurrency })
      setJob({ jobId, progress: { total: 0, done: 0, failed: 0 }, finished: false, log: [] })
    } catch (error) {
      notifyError('Could not start annotating', error)
    } finally {
      setStarting(false)
    }
  }
  const cancel = async () => {
    if (job === null) return
    try {
      await host.api['annotations.cancelJob']({ jobId: job.jobId })
    } catch (error) {
      notifyError('Could not cancel the job', error)
    }
  }

  if (annotators === null) return <Loader size="sm" />
  if (annotators.length === 0)
    return (
      <EmptyState title="No annotators yet" action={<Anchor href="#/library/annotators">Create an annotator</Anchor>}>
        An annotator says what to rate (labels with their ranges or options) and how to ask the model. Create one in the Library, or import SDF
        annotator files.
      </EmptyState>
    )
  const ready = chosen.length > 0 && (scope === 'all' || discussions.length > 0)
  const percent = job === null || job.progress.total === 0 ? 0 : (job.progress.done / job.progress.total) * 100
  return (
    <Stack gap="md">
      <Paper withBorder p="sm">
        <Stack gap="sm">
          <Checkbox.Group label="Annotators" value={chosen} onChange={setChosen}>
            <Group mt={4}>
              {annotators.map((annotator) => (
                <Checkbox key={annotator.value} value={annotator.value} label={annotator.label} data-testid="choose-annotator" />
              ))}
            </Group>
          </Checkbox.Group>
          <Group align="flex-end">
            <div>
              <Text size="sm" fw={500} mb={2}>
                Discussions
              </Text>
              <SegmentedControl
                value={scope}
                onChange={(value) => setScope(value as 'all' | 'some')}
                data={[
                  { value: 'all', label: 'all' },
                  { value: 'some', label: 'chosen' }
                ]}
              />
            </div>
            {scope === 'some' && (
              <MultiSelect
                label="Choose discussions"
                data={discussionIds ?? []}
                value={discussions}
                onChange={setDiscussions}
                searchable
                clearable
                maxDropdownHeight={260}
                style={{ flex: 1, minWidth: 260 }}
                placeholder="type to search"
              />
            )}
            <NumberInput label="At once" min={1} max={64} value={concurrency} onChange={(value) => setConcurrency(typeof value === 'number' ? value : 1)} w={100} />
            <Button onClick={() => void start()} loading={starting} disabled={!ready || (job !== null && !job.finished)} data-testid="start-annotation">
              Annotate
            </Button>
          </Group>
          <Text size="xs" c="dimmed">
            Runs on the host's loaded model. Comments an annotator already labelled are skipped, so a stopped job resumes where it stopped.
          </Text>
        </Stack>
      </Paper>
      {job !== null && (
        <Paper withBorder p="sm" data-testid="annotation-job" data-finished={job.finished}>
          <Group justify="space-between" mb={4}>
            <Text size="sm" fw={600}>
              Job {job.jobId}: {job.progress.done}/{job.progress.total} comments{job.progress.failed > 0 ? `, ${job.progress.failed} failed` : ''}
              {job.finished ? ' — finished' : ''}
            </Text>
            {!job.finished && (
              <Button size="xs" color="red" variant="light" onClick={() => void cancel()}>
                Cancel
              </Button>
            )}
          </Group>
          <Progress value={percent} animated={!job.finished} color={job.progress.failed > 0 ? 'orange' : 'blue'} />
          <Stack gap={0} mt="xs" style={{ maxHeight: 200, overflow: 'auto' }}>
            {job.log.map((line, i) => (
              <Text key={`${i}-${line}`} size="xs" c="dimmed">
                {line}
              </Text>
            ))}
          </Stack>
          {job.finished && (
            <Anchor href="#/analysis" size="sm">
              See the charts on the Analysis page
            </Anchor>
          )}
        </Paper>
      )}
    </Stack>
  )
}
