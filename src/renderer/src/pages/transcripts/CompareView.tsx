import { Anchor, SimpleGrid, Stack, Title } from '@mantine/core'
import { Link } from 'wouter'
import { PageHeader } from '../../components/PageHeader.js'
import { TranscriptBody, useTranscript } from './TranscriptView.js'

/** Two discussions side by side (e.g. the same seed under two conditions). */
export function CompareView({ leftId, rightId }: { leftId: string; rightId: string }) {
  const left = useTranscript(leftId)
  const right = useTranscript(rightId)
  return (
    <>
      <PageHeader
        title="Compare transcripts"
        description={
          <Anchor component={Link} href="/transcripts">
            All transcripts
          </Anchor>
        }
      />
      <SimpleGrid cols={2} data-testid="compare-view">
        {[
          [leftId, left],
          [rightId, right]
        ].map(([id, loaded]) => (
          <Stack key={String(id)} gap="xs" style={{ minWidth: 0 }}>
            <Title order={4}>
              <Anchor component={Link} href={`/transcripts/${encodeURIComponent(String(id))}`}>
                {String(id)}
              </Anchor>
            </Title>
            <TranscriptBody loaded={loaded as ReturnType<typeof useTranscript>} height="calc(100vh - 17rem)" />
          </Stack>
        ))}
      </SimpleGrid>
    </>
  )
}
