import { Alert, Badge, Group, Loader, Paper, ScrollArea, SimpleGrid, Stack, Table, Text } from '@mantine/core'
import type { DesignPreview } from '../../../../shared/index.js'
import { formatDuration, formatTokens } from './designForm.js'

const text = (value: unknown) => (value === null || value === undefined ? '—' : typeof value === 'object' ? describeLevel(value as Record<string, unknown>) : String(value))

function describeLevel(level: Record<string, unknown>): string {
  if (typeof level['model'] === 'string') return level['model']
  if (typeof level['kind'] === 'string') {
    const rest = Object.entries(level)
      .filter(([key, value]) => key !== 'kind' && value !== undefined && typeof value !== 'object')
      .map(([key, value]) => `${key}=${String(value)}`)
    return [level['kind'], ...rest].join(' ')
  }
  return JSON.stringify(level)
}

/** Where a discussion's opening comments come from: a corpus thread (with the first words) or the topic. */
function seedCommentsOf(spec: Record<string, unknown>): { short: string; full: string } {
  const provenance = spec['seed_provenance']
  const comments = Array.isArray(spec['seed_comments']) ? (spec['seed_comments'] as { text?: unknown }[]) : []
  if (typeof provenance !== 'object' || provenance === null) return { short: 'topic', full: "The topic's own seed comments" }
  const { conversation_id: conversation, message_ids: ids } = provenance as { conversation_id?: unknown; message_ids?: unknown }
  const first = typeof comments[0]?.text === 'string' ? comments[0].text : ''
  const short = `${String(conversation)} · ${first.length > 40 ? `${first.slice(0, 40)}…` : first}`
  const full = `Thread ${String(conversation)}, comments ${Array.isArray(ids) ? ids.join(', ') : ''}:\n${comments.map((comment) => String(comment.text ?? '')).join('\n—\n')}`
  return { short, full }
}

/** The design as the host expands it: counts, estimate, and the first discussions of the expansion. */
export function DesignPreviewPanel({
  preview,
  problem,
  loading,
  nameOf = (id) => id
}: {
  preview: DesignPreview | null
  problem: string | null
  loading: boolean
  /** A record's name for its id (topic title, instruction name, username). */
  nameOf?: (id: string) => string
}) {
  const named = (value: unknown) => (typeof value === 'string' ? nameOf(value) : text(value))
  return (
    <Paper withBorder p="md" data-testid="design-preview">
      <Stack gap="sm">
        <Group justify="space-between">
          <Text fw={600}>Preview</Text>
          {loading && <Loader size="xs" />}
        </Group>
        {problem !== null && (
          <Alert color="yellow" data-testid="design-problem">
            {problem}
          </Alert>
        )}
        {preview !== null && (
          <>
            <SimpleGrid cols={3} spacing="xs">
              <Stat label="Discussions" value={String(preview.counts.discussions)} testId="design-discussions" />
              <Stat label="Tokens (est.)" value={formatTokens(preview.estimate.totalTokens)} testId="design-tokens" />
              <Stat label="Time (est.)" value={formatDuration(preview.estimate.seconds)} testId="design-time" />
            </SimpleGrid>
            <Text size="xs" c="dimmed">
              {preview.counts.cells} combination{preview.counts.cells === 1 ? '' : 's'} × {preview.counts.replicates} replicate
              {preview.counts.replicates === 1 ? '' : 's'}; {preview.estimate.calls} model calls. Serial time at {preview.rates.tokensPerSecond} tok/s
              generated and {preview.rates.promptTokensPerSecond} tok/s prompt, with no prompt cache: an upper bound. Levels:{' '}
              {Object.entries(preview.counts.levels)
                .map(([factor, levels]) => `${factor.replace(/_/g, ' ')} ${levels}`)
                .join(', ')}
              .
            </Text>
            <ScrollArea.Autosize mah={480} type="auto">
              <Table striped withTableBorder fz="xs" data-testid="design-specs" aria-label="Discussions of the design" style={{ whiteSpace: 'nowrap' }}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>#</Table.Th>
                    <Table.Th>Rep.</Table.Th>
                    <Table.Th>Topic</Table.Th>
                    <Table.Th>Users told</Table.Th>
                    <Table.Th>Moderator</Table.Th>
                    <Table.Th>Turns</Table.Th>
                    <Table.Th>Model</Table.Th>
                    <Table.Th>Prompt</Table.Th>
                    <Table.Th>Personas</Table.Th>
                    <Table.Th>Seed</Table.Th>
                    <Table.Th>Seed comments</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {preview.specs.map((spec, position) => (
                    <Table.Tr key={String(spec['id'] ?? position)} data-testid="design-spec-row">
                      <Table.Td>{text(spec['index'])}</Table.Td>
                      <Table.Td>{text(spec['replicate'])}</Table.Td>
                      <Table.Td title={String(spec['topic_id'])} style={{ maxWidth: 220, overflow: 'hidden', textOverflow: 'ellipsis' }}>
                        {named(spec['topic_id'])}
                      </Table.Td>
                      <Table.Td>{named(spec['user_instruction_id'])}</Table.Td>
                      <Table.Td>{spec['moderator_instruction_id'] === null ? 'none' : named(spec['moderator_instruction_id'])}</Table.Td>
                      <Table.Td>{text(spec['turn_policy'])}</Table.Td>
                      <Table.Td>{text(spec['model'])}</Table.Td>
                      <Table.Td>{text(spec['prompt_mode'])}</Table.Td>
                      <Table.Td>{Array.isArray(spec['persona_ids']) ? spec['persona_ids'].map((id) => nameOf(String(id))).join(', ') : '—'}</Table.Td>
                      <Table.Td>{text(spec['seed'])}</Table.Td>
                      <Table.Td title={seedCommentsOf(spec).full} style={{ maxWidth: 260, overflow: 'hidden', textOverflow: 'ellipsis' }} data-testid="design-spec-seed-comments">
                        {seedCommentsOf(spec).short}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
            {preview.counts.discussions > preview.specs.length && (
              <Text size="xs" c="dimmed">
                Showing the first {preview.specs.length} of {preview.counts.discussions}.
              </Text>
            )}
          </>
        )}
      </Stack>
    </Paper>
  )
}

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Stack gap={0} align="flex-start">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Badge size="xl" variant="light" tt="none" data-testid={testId}>
        {value}
      </Badge>
    </Stack>
  )
}
