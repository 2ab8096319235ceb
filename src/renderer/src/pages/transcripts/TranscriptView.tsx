import { Anchor, Badge, Button, Code, Group, HoverCard, Loader, Paper, ScrollArea, Stack, Text, Tooltip } from '@mantine/core'
import { useEffect, useMemo, useState } from 'react'
import { Link, useLocation } from 'wouter'
import { z } from 'zod'
import { EmptyState } from '../../components/EmptyState.js'
import { notifyError, notifySuccess } from '../../components/notify.js'
import { PageHeader } from '../../components/PageHeader.js'
import { useHost } from '../../hostContext.js'
import { chipColor, labelRanges, type ValueRange } from '../../results/chipColor.js'
import { DiscussionViewSchema, type CommentView, type DiscussionView, type ParticipantView } from '../../results/discussionRecord.js'
import { errorMessage, hasMethod } from '../../results/hostSupport.js'

const AnnotationViewSchema = z.looseObject({
  comment_index: z.number().nullable(),
  annotator: z.looseObject({ name: z.string(), kind: z.string().optional() }),
  values: z.record(z.string(), z.unknown()),
  parsed: z.boolean().optional()
})

type AnnotationView = z.infer<typeof AnnotationViewSchema>

type Loaded = { state: 'loading' } | { state: 'failed'; message: string } | { state: 'ready'; discussion: DiscussionView; annotations: AnnotationView[] }

/** A discussion and its annotations, read from the host. */
export function useTranscript(discussionId: string): Loaded {
  const host = useHost()
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' })
  useEffect(() => {
    let cancelled = false
    setLoaded({ state: 'loading' })
    Promise.all([host.api['discussions.get']({ id: discussionId }), host.api['annotations.list']({ discussionId }).catch(() => ({ items: [] }))]).then(
      ([record, annotations]) => {
        if (cancelled) return
        const parsed = DiscussionViewSchema.safeParse(record)
        if (!parsed.success) {
          setLoaded({ state: 'failed', message: `Discussion "${discussionId}" is not in a shape this page can show: ${parsed.error.issues[0]?.message ?? ''}` })
          return
        }
        const items = annotations.items.flatMap((item) => {
          const annotation = AnnotationViewSchema.safeParse(item)
          return annotation.success ? [annotation.data] : []
        })
        setLoaded({ state: 'ready', discussion: parsed.data, annotations: items })
      },
      (error: unknown) => !cancelled && setLoaded({ state: 'failed', message: errorMessage(error) })
    )
    return () => {
      cancelled = true
    }
  }, [host, discussionId])
  return loaded
}

export function TranscriptView({ discussionId }: { discussionId: string }) {
  const loaded = useTranscript(discussionId)
  const [, navigate] = useLocation()
  return (
    <>
      <PageHeader
        title={`Transcript ${discussionId}`}
        description={
          <Anchor component={Link} href="/transcripts">
            All transcripts
          </Anchor>
        }
        actions={
          <Button variant="default" onClick={() => navigate(`/annotate?discussion=${encodeURIComponent(discussionId)}`)}>
            Annotate
          </Button>
        }
      />
      <TranscriptBody loaded={loaded} />
    </>
  )
}

export function TranscriptBody({ loaded, height }: { loaded: Loaded; height?: string }) {
  const byComment = useMemo(() => {
    const map = new Map<number, AnnotationView[]>()
    if (loaded.state === 'ready') for (const annotation of loaded.annotations) if (annotation.comment_index !== null) (map.get(annotation.comment_index) ?? map.set(annotation.comment_index, []).get(annotation.comment_index))?.push(annotation)
    return map
  }, [loaded])
  const ranges = useMemo(() => (loaded.state === 'ready' ? labelRanges(loaded.annotations.map((annotation) => annotation.values)) : {}), [loaded])
  if (loaded.state === 'loading') return <Loader size="sm" />
  if (loaded.state === 'failed')
    return (
      <EmptyState title="This transcript could not be opened" action={<Anchor href="#/transcripts">Back to the list</Anchor>}>
        {loaded.message}
      </EmptyState>
    )
  const { discussion } = loaded
  const participants = new Map(discussion.participants.map((participant) => [participant.username, participant]))
  return (
    <Stack gap="sm" data-testid="transcript" data-discussion={discussion.id}>
      <Group gap="xs">
        <Badge variant="outline">{discussion.status}</Badge>
        {discussion.topic_id !== null && discussion.conditions['topic'] !== discussion.topic_id && (
          <Badge variant="light" tt="none">
            topic: {discussion.topic_id}
          </Badge>
        )}
        {Object.entries(discussion.conditions).map(([key, value]) => (
          <Badge key={key} variant="light" color="grape" tt="none" maw={420} title={`${key}: ${value}`}>
            {key}: {value}
          </Badge>
        ))}
        {discussion.run_id !== null && (
          <Anchor component={Link} href={`/runs/${encodeURIComponent(discussion.run_id)}`} size="sm">
            run {discussion.run_id}
          </Anchor>
        )}
      </Group>
      <Group gap="xs" aria-label="Participants">
        {discussion.participants.map((participant) => (
          <PersonaCard key={participant.username} participant={participant} />
        ))}
      </Group>
      <ScrollArea.Autosize mah={height ?? 'calc(100vh - 15rem)'} scrollbars="y" type="auto">
        <Stack gap={6}>
          {discussion.comments.map((comment) => (
            <CommentCard
              key={comment.index}
              discussionId={discussion.id}
              comment={comment}
              participant={participants.get(comment.author)}
              annotations={byComment.get(comment.index) ?? []}
              ranges={ranges}
            />
          ))}
        </Stack>
      </ScrollArea.Autosize>
    </Stack>
  )
}

function personaLines(persona: Record<string, unknown>): [string, string][] {
  return Object.entries(persona).flatMap(([key, value]): [string, string][] => {
    if (key === 'username' || value === null || value === undefined) return []
    if (key === 'extra_attributes' && typeof value === 'object') return personaLines(value as Record<string, unknown>)
    return [[key.replaceAll('_', ' '), Array.isArray(value) ? value.join(', ') : String(value)]]
  })
}

function PersonaCard({ participant }: { participant: ParticipantView }) {
  const lines = personaLines(participant.persona)
  return (
    <HoverCard width={360} shadow="md" openDelay={150}>
      <HoverCard.Target>
        <Badge variant="default" tt="none" style={{ cursor: 'help' }} data-testid="participant">
          {participant.username}
          {participant.role === 'moderator' ? ' (moderator)' : ''}
        </Badge>
      </HoverCard.Target>
      <HoverCard.Dropdown>
        <Text fw={600} mb={4}>
          {participant.username} · {participant.role}
        </Text>
        {lines.length === 0 && <Text size="sm">No persona attributes recorded.</Text>}
        {lines.map(([key, value]) => (
          <Text key={key} size="sm">
            <Text span c="dimmed">
              {key}:
            </Text>{' '}
            {value}
          </Text>
        ))}
      </HoverCard.Dropdown>
    </HoverCard>
  )
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—'
  return typeof value === 'number' ? String(Math.round(value * 100) / 100) : String(value)
}

function CommentCard({
  discussionId,
  comment,
  participant,
  annotations,
  ranges
}: {
  discussionId: string
  comment: CommentView
  participant: ParticipantView | undefined
  annotations: AnnotationView[]
  ranges: Record<string, ValueRange>
}) {
  const host = useHost()
  const [, navigate] = useLocation()
  const canFork = hasMethod(host, 'runs.fork')
  const fork = async () => {
    try {
      // Keeps comments 0…index verbatim and generates what follows anew.
      const forked = await host.api['runs.fork']({ discussionId, atComment: comment.index + 1 })
      notifySuccess('Fork started', `Run ${forked.runId} keeps comments 1–${comment.index + 1} and continues from there.`)
      navigate(`/runs/${encodeURIComponent(forked.runId)}`)
    } catch (error) {
      notifyError('Could not fork the discussion', error)
    }
  }
  const timings = comment.timings ?? {}
  const hasProvenance = comment.prompt !== null || comment.seed !== null || comment.model !== null || Object.keys(timings).length > 0
  return (
    <Paper withBorder p="xs" data-testid="comment" data-index={comment.index} style={{ minWidth: 0 }}>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Group gap={6} wrap="nowrap">
          <Text size="xs" c="dimmed" w={26}>
            #{comment.index + 1}
          </Text>
          <Text size="sm" fw={600}>
            {comment.author}
          </Text>
          {(comment.role === 'moderator' || participant?.role === 'moderator') && (
            <Badge size="xs" color="orange">
              moderator
            </Badge>
          )}
          {comment.role === 'seed' && (
            <Badge size="xs" color="gray">
              seed
            </Badge>
          )}
        </Group>
        <Tooltip label={canFork ? 'Fork from here: a new run keeps the discussion up to this comment and generates the rest anew' : 'This host cannot fork discussions'}>
          <Button size="compact-xs" variant="subtle" disabled={!canFork} onClick={() => void fork()} aria-label={`Fork after comment ${comment.index + 1}`} data-testid="fork-here">
            Fork here
          </Button>
        </Tooltip>
      </Group>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} c={comment.text.trim() === '' ? 'dimmed' : undefined}>
        {comment.text.trim() === '' ? '(stayed silent)' : comment.text}
      </Text>
      {annotations.length > 0 && (
        <Group gap={4} mt={4} data-testid="annotation-chips">
          {annotations.flatMap((annotation, position) =>
            Object.entries(annotation.values).map(([label, value]) => {
              const color = chipColor(value, ranges[label])
              return (
                <Tooltip key={`${position}-${label}`} label={`${annotation.annotator.name}${annotation.annotator.kind ? ` (${annotation.annotator.kind})` : ''}`}>
                  <span className="annotation-chip" data-testid="annotation-chip" style={{ background: color.background, color: color.text, fontSize: 11, padding: '1px 7px', borderRadius: 10 }}>
                    {label}: {formatValue(value)}
                  </span>
                </Tooltip>
              )
            })
          )}
        </Group>
      )}
      {hasProvenance && (
        <details style={{ marginTop: 4 }}>
          <summary style={{ fontSize: 12, cursor: 'pointer', opacity: 0.8 }}>Provenance</summary>
          <Stack gap={2} mt={4}>
            <Text size="xs">
              model {comment.model ?? '—'} · seed {comment.seed ?? '—'}
              {comment.reply_to !== null ? ` · replies to #${comment.reply_to + 1}` : ''}
            </Text>
            {Object.keys(timings).length > 0 && (
              <Text size="xs">
                {timings.started_at ? `started ${timings.started_at} · ` : ''}
                {timings.duration_ms !== undefined ? `${Math.round(timings.duration_ms)} ms · ` : ''}
                {timings.time_to_first_token_ms !== undefined ? `first token ${Math.round(timings.time_to_first_token_ms)} ms · ` : ''}
                {timings.prompt_tokens !== undefined ? `${timings.prompt_tokens} prompt tokens` : ''}
                {timings.reused_prompt_tokens !== undefined ? ` (${timings.reused_prompt_tokens} reused)` : ''}
                {timings.generated_tokens !== undefined ? ` · ${timings.generated_tokens} generated` : ''}
              </Text>
            )}
            {comment.raw_text !== undefined && comment.raw_text !== comment.text && (
              <Text size="xs">
                raw output: <Code>{comment.raw_text}</Code>
              </Text>
            )}
            {comment.prompt !== null && (
              <ScrollArea.Autosize mah={240} scrollbars="y" type="auto">
                <Code block fz={11} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {comment.prompt}
                </Code>
              </ScrollArea.Autosize>
            )}
          </Stack>
        </details>
      )}
    </Paper>
  )
}
