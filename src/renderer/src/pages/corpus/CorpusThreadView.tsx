import { Anchor, Badge, Box, Group, Loader, Paper, Text } from '@mantine/core'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useCallback, useState } from 'react'
import { Link } from 'wouter'
import type { CorpusPage, CorpusSummary } from '../../../../shared/index.js'
import { EmptyState } from '../../components/EmptyState.js'
import { PageHeader } from '../../components/PageHeader.js'
import { useHost } from '../../hostContext.js'
import { threadIndent } from './threadTree.js'
import { usePagedRows } from './usePagedRows.js'

type ThreadComment = NonNullable<CorpusPage['thread']>['comments'][number]

const PAGE_SIZE = 500

/** One thread as its reply tree: each comment indented by how many replies deep it is. */
export function CorpusThreadView({ corpusId, conversationId }: { corpusId: string; conversationId: string }) {
  const host = useHost()
  const [corpus, setCorpus] = useState<CorpusSummary | null>(null)
  const fetchPage = useCallback(
    async (offset: number, limit: number) => {
      const page = await host.api['corpus.browse']({ corpusId, threadId: conversationId, offset, limit })
      setCorpus(page.corpus)
      return { rows: page.thread?.comments ?? [], total: page.thread?.total ?? 0 }
    },
    [host, corpusId, conversationId]
  )
  const { total, error, rowAt } = usePagedRows<ThreadComment>(fetchPage, PAGE_SIZE, `${corpusId}\u0000${conversationId}`)
  const [scroller, setScroller] = useState<HTMLDivElement | null>(null)
  const virtualizer = useVirtualizer({ count: total ?? 0, getScrollElement: () => scroller, estimateSize: () => 96, overscan: 6 })

  return (
    <>
      <PageHeader
        title={`Thread ${conversationId}`}
        description={
          <>
            <Anchor component={Link} href="/corpus" size="sm">
              Corpora
            </Anchor>{' '}
            ›{' '}
            <Anchor component={Link} href={`/corpus/${encodeURIComponent(corpusId)}`} size="sm">
              {corpus?.name ?? corpusId}
            </Anchor>
            {total !== null && ` · ${total} comments; replies are indented under the comment they answer.`}
          </>
        }
      />
      {error !== null && <EmptyState title="Could not read this thread">{error instanceof Error ? error.message : String(error)}</EmptyState>}
      {error === null && total === null && <Loader />}
      {total !== null && (
        <div ref={setScroller} style={{ height: 'calc(100vh - 200px)', minHeight: 240, overflow: 'auto' }} data-testid="corpus-thread" aria-label="Comments">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const comment = rowAt(item.index)
              return (
                <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)`, paddingBottom: 8 }}>
                  {comment === undefined ? (
                    <Text c="dimmed">…</Text>
                  ) : (
                    <Box pl={threadIndent(comment.depth)} data-testid="corpus-comment" data-depth={comment.depth} data-id={comment.messageId}>
                      <Paper withBorder p="sm" style={{ borderLeft: comment.depth > 0 ? '3px solid var(--mantine-color-blue-light-color)' : undefined }}>
                        <Group gap="xs" mb={4} wrap="wrap">
                          <Text fw={600} size="sm">
                            {comment.author ?? 'unknown'}
                          </Text>
                          <Text size="xs" c="dimmed">
                            #{comment.messageId}
                            {comment.replyTo !== null && ` ↳ reply to #${comment.replyTo}`}
                            {comment.timestamp !== null && ` · ${comment.timestamp}`} · line {comment.line}
                          </Text>
                          {comment.flagged === true && (
                            <Badge color="orange" variant="light" size="sm" data-testid="corpus-comment-flagged">
                              {corpus?.columns.flag ?? 'flagged'}
                            </Badge>
                          )}
                        </Group>
                        <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="corpus-comment-text">
                          {comment.text}
                        </Text>
                      </Paper>
                    </Box>
                  )}
                </div>
              )
            })}
          </div>
        </div>
      )}
    </>
  )
}
