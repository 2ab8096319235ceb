import { Alert, Code, Group, Loader, Paper, ScrollArea, SegmentedControl, Select, Stack, Text } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { useEffect, useState } from 'react'
import type { PreviewPromptMode, PromptPreview } from '../../../shared/index.js'
import { useHost } from '../hostContext.js'

interface Choice {
  id: string
  label: string
}

/**
 * The exact prompt a chosen persona would receive for a topic under an instruction, rendered by the
 * host with the engine's own prompt builders (`prompts.preview`); refreshed as the text is edited.
 */
export function PromptPreviewPanel({
  personas,
  topics,
  instructionId,
  instructionText,
  instructionKind
}: {
  personas: readonly Choice[]
  topics: readonly Choice[]
  instructionId?: string
  instructionText?: string
  instructionKind?: 'user' | 'moderator' | 'annotator'
}) {
  const host = useHost()
  const [personaId, setPersonaId] = useState<string | null>(null)
  const [topicId, setTopicId] = useState<string | null>(null)
  const [mode, setMode] = useState<PreviewPromptMode>('sdf-v0')
  const [text] = useDebouncedValue(instructionText, 300)
  const [preview, setPreview] = useState<PromptPreview | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loading, setLoading] = useState(false)
  const persona = personaId ?? personas[0]?.id ?? null
  const topic = topicId ?? topics[0]?.id ?? null

  useEffect(() => {
    let current = true
    setLoading(true)
    host.api['prompts.preview']({
      mode,
      historyLength: 5,
      ...(persona === null ? {} : { personaId: persona }),
      ...(topic === null ? {} : { topicId: topic }),
      ...(instructionId === undefined ? {} : { instructionId }),
      ...(text === undefined ? {} : { instructionText: text }),
      ...(instructionKind === undefined ? {} : { instructionKind })
    })
      .then((result) => {
        if (!current) return
        setPreview(result)
        setError(null)
      })
      .catch((failure: unknown) => {
        if (current) setError(failure instanceof Error ? failure.message : String(failure))
      })
      .finally(() => {
        if (current) setLoading(false)
      })
    return () => {
      current = false
    }
  }, [host, persona, topic, mode, instructionId, text, instructionKind])

  return (
    <Paper withBorder p="sm" data-testid="prompt-preview">
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Text fw={600} size="sm">
            Prompt preview {loading && <Loader size={12} ml={4} />}
          </Text>
          <SegmentedControl
            size="xs"
            value={mode}
            onChange={(value) => setMode(value as PreviewPromptMode)}
            data={[
              { value: 'sdf-v0', label: 'SDF v0' },
              { value: 'sdf-v0.1', label: 'SDF v0.1' },
              { value: 'modern', label: 'Chat' }
            ]}
            aria-label="Prompt mode"
          />
        </Group>
        <Group grow gap="xs">
          <Select size="xs" label="As persona" data={personas.map((p) => ({ value: p.id, label: p.label }))} value={persona} onChange={setPersonaId} searchable data-testid="preview-persona" />
          <Select size="xs" label="On topic" data={topics.map((t) => ({ value: t.id, label: t.label }))} value={topic} onChange={setTopicId} searchable data-testid="preview-topic" />
        </Group>
        {error !== null && (
          <Alert color="red" p="xs">
            {error}
          </Alert>
        )}
        {preview !== null && (
          <>
            <Text size="xs" c="dimmed">
              {preview.role === 'moderator' ? 'Moderator' : 'User'} “{preview.speaker}” · {preview.promptFormat === 'sdf-alpaca' ? "SDF's alpaca text, exactly as the model reads it" : "messages for the model's chat template"}
            </Text>
            <ScrollArea.Autosize mah={420} type="auto">
              {preview.rawPrompt !== null ? (
                <Code block data-testid="preview-raw" style={{ whiteSpace: 'pre-wrap' }}>
                  {preview.rawPrompt}
                </Code>
              ) : (
                <Stack gap={4}>
                  <Text size="xs" fw={600}>
                    system
                  </Text>
                  <Code block data-testid="preview-system" style={{ whiteSpace: 'pre-wrap' }}>
                    {preview.system}
                  </Code>
                  <Text size="xs" fw={600}>
                    user
                  </Text>
                  <Code block data-testid="preview-user" style={{ whiteSpace: 'pre-wrap' }}>
                    {preview.prompt}
                  </Code>
                </Stack>
              )}
            </ScrollArea.Autosize>
          </>
        )}
      </Stack>
    </Paper>
  )
}
