import { Anchor, Badge, Button, Group, Kbd, Loader, Paper, Select, Stack, Text, TextInput, Textarea } from '@mantine/core'
import { useCallback, useEffect, useMemo, useState } from 'react'
import type { z } from 'zod'
import type { HumanQueueResultSchema } from '../../../../shared/index.js'
import { EmptyState } from '../../components/EmptyState.js'
import { notifyError } from '../../components/notify.js'
import { useHost } from '../../hostContext.js'
import { isComplete, keyChoices, readLabels, valueForKey, type HumanLabel, type LabelValue } from '../../results/humanKeys.js'
import { useAnnotators } from './useAnnotators.js'

const NAME_KEY = 'sdf-studio.human-annotator'

type Queue = z.infer<typeof HumanQueueResultSchema>

export function HumanAnnotation({ preselected }: { preselected: string | null }) {
  const host = useHost()
  const annotators = useAnnotators()
  const [specId, setSpecId] = useState<string | null>(null)
  const [name, setName] = useState(() => globalThis.localStorage?.getItem(NAME_KEY) ?? '')
  const [queue, setQueue] = useState<Queue | null>(null)
  const [position, setPosition] = useState(0)
  const [saved, setSaved] = useState(0)
  const [loading, setLoading] = useState(false)

  const load = useCallback(async () => {
    if (specId === null || name.trim() === '') return
    setLoading(true)
    try {
      const result = await host.api['annotations.humanQueue']({ annotatorSpecId: specId, annotator: name.trim(), ...(preselected !== null ? { discussionIds: [preselected] } : {}) })
      setQueue(result)
      setPosition(0)
      // The keys label the comment from here on, not the button that was pressed.
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur()
      globalThis.localStorage?.setItem(NAME_KEY, name.trim())
    } catch (error) {
      notifyError('Could not read the comments to label', error)
    } finally {
      setLoading(false)
    }
  }, [host, specId, name, preselected])

  if (annotators === null) return <Loader size="sm" />
  if (annotators.length === 0)
    return (
      <EmptyState title="No annotators yet" action={<Anchor href="#/library/annotators">Create an annotator</Anchor>}>
        Human labels answer an annotator spec's labels, so that they can be compared with an LLM's. Create one in the Library first.
      </EmptyState>
    )
  const item = queue?.items[position]
  return (
    <Stack gap="md">
      <Paper withBorder p="sm">
        <Group align="flex-end">
          <Select label="Annotator spec" data={annotators} value={specId} onChange={setSpecId} w={280} data-testid="human-spec" />
          <TextInput label="Your name or coder code" value={name} onChange={(event) => setName(event.currentTarget.value)} w={220} data-testid="human-name" />
          <Button onClick={() => void load()} disabled={specId === null || name.trim() === ''} loading={loading} data-testid="human-start">
            Start labelling
          </Button>
          {preselected !== null && <Badge variant="light">only discussion {preselected}</Badge>}
        </Group>
        <Text size="xs" c="dimmed" mt={6}>
          Blind: you see the comment and the context the spec shows, never personas, models or others' labels. Keys: <Kbd>1</Kbd>…<Kbd>9</Kbd> set the active
          label, <Kbd>Tab</Kbd>/<Kbd>↓</Kbd> next label, <Kbd>Enter</Kbd> save and next, <Kbd>S</Kbd> skip.
        </Text>
      </Paper>
      {queue !== null && item === undefined && (
        <EmptyState
          title={queue.more ? 'Batch done' : 'Nothing left to label'}
          action={
            queue.more ? (
              <Button onClick={() => void load()}>Next batch</Button>
            ) : (
              <Anchor href="#/analysis">Compare with the LLM labels on the Analysis page</Anchor>
            )
          }
        >
          {saved} label{saved === 1 ? '' : 's'} saved in this session.
        </EmptyState>
      )}
      {queue !== null && item !== undefined && (
        <LabelItem
          key={`${item.discussionId}#${item.commentIndex}`}
          queue={queue}
          item={item}
          remaining={queue.items.length - position}
          onSave={async (values) => {
            try {
              await host.api['annotations.putHuman']({ annotator: name.trim(), annotatorSpecId: queue.spec.id, discussionId: item.discussionId, commentIndex: item.commentIndex, values })
              setSaved((count) => count + 1)
              setPosition((current) => current + 1)
            } catch (error) {
              notifyError('Could not save the label', error)
            }
          }}
          onSkip={() => setPosition((current) => current + 1)}
        />
      )}
    </Stack>
  )
}

function LabelItem({
  queue,
  item,
  remaining,
  onSave,
  onSkip
}: {
  queue: Queue
  item: Queue['items'][number]
  remaining: number
  onSave: (values: Record<string, LabelValue>) => Promise<void>
  onSkip: () => void
}) {
  const labels = useMemo(() => readLabels(queue.spec.labels), [queue])
  const [values, setValues] = useState<Record<string, LabelValue>>({})
  const [active, setActive] = useState(0)
  const [saving, setSaving] = useState(false)
  const complete = isComplete(labels, values)
  const save = useCallback(async () => {
    if (!complete || saving) return
    setSaving(true)
    await onSave(Object.fromEntries(labels.map((label) => [label.name, values[label.name] ?? null])))
    setSaving(false)
  }, [complete, saving, onSave, labels, values])

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null
      if (target !== null && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable)) return
      const label = labels[active]
      if (event.key === 'Enter') {
        event.preventDefault()
        void save()
      } else if (event.key === 'Tab' || event.key === 'ArrowDown') {
        event.preventDefault()
        setActive((current) => (event.shiftKey ? (current - 1 + labels.length) % labels.length : (current + 1) % labels.length))
      } else if (event.key === 'ArrowUp') {
        event.preventDefault()
        setActive((current) => (current - 1 + labels.length) % labels.length)
      } else if (event.key === 's' || event.key === 'S') {
        onSkip()
      } else if (label !== undefined) {
        const value = valueForKey(label, event.key)
        if (value !== undefined) {
          setValues((current) => ({ ...current, [label.name]: value }))
          // The next label that has no value yet becomes active, so a row of digits labels a comment.
          const next = labels.findIndex((other, index) => index > active && values[other.name] === undefined && other.type !== 'text')
          if (next !== -1) setActive(next)
        }
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [labels, active, values, save, onSkip])

  return (
    <Paper withBorder p="md" data-testid="human-item" data-discussion={item.discussionId} data-index={item.commentIndex}>
      <Group justify="space-between" mb="xs">
        <Text size="sm" c="dimmed">
          {queue.spec.name} · {remaining} left in this batch
        </Text>
      </Group>
      {queue.spec.instructions !== '' && (
        <Text size="sm" mb="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {queue.spec.instructions}
        </Text>
      )}
      {item.topic !== null && (
        <Text size="sm" mb="xs">
          <b>Topic:</b> {item.topic}
        </Text>
      )}
      <Stack gap={4} mb="sm">
        {item.context.map((comment, i) => (
          <Text key={i} size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
            <b>{comment.author}:</b> {comment.text}
          </Text>
        ))}
      </Stack>
      <Paper withBorder p="sm" mb="md" bg="var(--mantine-color-default-hover)">
        <Text size="md" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="human-comment">
          {item.text}
        </Text>
      </Paper>
      <Stack gap="xs">
        {labels.map((label, index) => (
          <LabelRow key={label.name} label={label} active={index === active} value={values[label.name]} onFocus={() => setActive(index)} onChange={(value) => setValues((current) => ({ ...current, [label.name]: value }))} />
        ))}
      </Stack>
      <Group mt="md">
        <Button onClick={() => void save()} disabled={!complete} loading={saving} data-testid="human-save">
          Save and next (Enter)
        </Button>
        <Button variant="default" onClick={onSkip} data-testid="human-skip">
          Skip (S)
        </Button>
      </Group>
    </Paper>
  )
}

function LabelRow({ label, active, value, onFocus, onChange }: { label: HumanLabel; active: boolean; value: LabelValue | undefined; onFocus: () => void; onChange: (value: LabelValue) => void }) {
  const choices = keyChoices(label)
  return (
    <div
      onClick={onFocus}
      data-testid="human-label"
      data-label={label.name}
      data-active={active}
      style={{ borderLeft: `3px solid ${active ? 'var(--mantine-color-blue-filled)' : 'transparent'}`, paddingLeft: 8 }}
    >
      <Text size="sm" fw={600}>
        {label.name}
        {label.description !== '' && (
          <Text span size="xs" c="dimmed" fw={400}>
            {' '}
            — {label.description}
          </Text>
        )}
      </Text>
      {choices.length > 0 ? (
        <Group gap={4} mt={2}>
          {choices.map((choice) => (
            <Button key={choice.key} size="compact-sm" variant={value === choice.value ? 'filled' : 'default'} onClick={() => onChange(choice.value)} aria-pressed={value === choice.value}>
              <Kbd size="xs" mr={4}>
                {choice.key}
              </Kbd>
              {choice.text}
            </Button>
          ))}
        </Group>
      ) : label.type === 'text' ? (
        <Textarea size="xs" autosize minRows={1} value={typeof value === 'string' ? value : ''} onChange={(event) => onChange(event.currentTarget.value)} />
      ) : (
        <TextInput
          size="xs"
          w={120}
          placeholder={label.type === 'integer' || label.type === 'number' ? `${label.min}–${label.max}` : ''}
          value={typeof value === 'number' ? String(value) : ''}
          onChange={(event) => {
            const number = Number(event.currentTarget.value)
            onChange(event.currentTarget.value === '' || !Number.isFinite(number) ? null : number)
          }}
        />
      )}
    </div>
  )
}
