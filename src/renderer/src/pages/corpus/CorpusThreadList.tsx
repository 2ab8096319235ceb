import { Anchor, Badge, Group, Loader, Paper, Text } from '@mantine/core'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useCallback, useEffect, useRef, useState } from 'react'
import { Link, useLocation } from 'wouter'
import type { CorpusPage, CorpusSummary } from '../../../../shared/index.js'
import { EmptyState } from '../../components/EmptyState.js'
import { PageHeader } from '../../components/PageHeader.js'
import { useHost } from '../../hostContext.js'
import { usePagedRows } from './usePagedRows.js'

type ThreadSummary = CorpusPage['threads'][number]

const ROW_HEIGHT = 44
const PAGE_SIZE = 200
const cell = (width: number) => ({ width, flex: 'none', padding: '0 8px', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }) as const

/** A corpus's threads, fetched a page at a time as the virtualised list scrolls. */
export function CorpusThreadList({ corpusId }: { corpusId: string }) {
  const host = useHost()
  const [, navigate] = useLocation()
  const [corpus, setCorpus] = useState<CorpusSummary | null>(null)
  const fetchPage = useCallback(
    async (offset: number, limit: number) => {
      const page = await host.api['corpus.browse']({ corpusId, offset, limit })
      setCorpus(page.corpus)
      return { rows: page.threads, total: page.threadCount }
    },
    [host, corpusId]
  )
  const { total, error, rowAt } = usePagedRows<ThreadSummary>(fetchPage, PAGE_SIZE, corpusId)
  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({ count: total ?? 0, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 })
  useEffect(() => virtualizer.measure(), [total, virtualizer])

  return (
    <>
      <PageHeader
        title={corpus?.name ?? corpusId}
        description={
          <>
            <Anchor component={Link} href="/corpus" size="sm">
              Corpora
            </Anchor>{' '}
            · {corpus === null ? '…' : `${corpus.counts.conversations} threads, ${corpus.counts.comments} comments from ${corpus.fileName}`}. Open a thread to read it as a reply tree.
          </>
        }
      />
      {error !== null && (
        <EmptyState title="Could not read this corpus">{error instanceof Error ? error.message : String(error)}</EmptyState>
      )}
      {error === null && total === null && <Loader />}
      {total !== null && (
        <Paper withBorder>
          <Group gap={0} wrap="nowrap" px={0} py={6} style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }} fw={600} fz="sm">
            <div style={cell(220)}>Thread</div>
            <div style={cell(100)}>Comments</div>
            <div style={cell(80)}>Authors</div>
            {corpus?.columns.flag !== null && <div style={cell(90)}>Flagged</div>}
            <div style={{ ...cell(0), flex: 1 }}>Opening comment</div>
          </Group>
          <div ref={scrollRef} style={{ maxHeight: 'calc(100vh - 240px)', minHeight: ROW_HEIGHT, overflow: 'auto' }} data-testid="corpus-threads" role="list" aria-label="Threads">
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((item) => {
                const thread = rowAt(item.index)
                const href = thread === undefined ? null : `/corpus/${encodeURIComponent(corpusId)}/${encodeURIComponent(thread.conversationId)}`
                return (
                  <Group
                    key={item.key}
                    gap={0}
                    wrap="nowrap"
                    role="listitem"
                    data-testid="corpus-thread-row"
                    data-id={thread?.conversationId}
                    onClick={() => href !== null && navigate(href)}
                    style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)`, cursor: 'pointer', borderBottom: '1px solid var(--mantine-color-default-border)' }}
                    fz="sm"
                  >
                    {thread === undefined ? (
                      <Text size="sm" c="dimmed" px="sm">
                        …
                      </Text>
                    ) : (
                      <>
                        <div style={cell(220)}>
                          <Anchor component={Link} href={href ?? ''} size="sm">
                            {thread.conversationId}
                          </Anchor>
                        </div>
                        <div style={cell(100)}>{thread.comments}</div>
                        <div style={cell(80)}>{thread.authors}</div>
                        {corpus?.columns.flag !== null && (
                          <div style={cell(90)}>
                            {(thread.flagged ?? 0) > 0 ? (
                              <Badge color="orange" variant="light">
                                {thread.flagged}
                              </Badge>
                            ) : (
                              '0'
                            )}
                          </div>
                        )}
                        <div style={{ ...cell(0), flex: 1 }} title={thread.excerpt}>
                          {thread.excerpt}
                        </div>
                      </>
                    )}
                  </Group>
                )
              })}
            </div>
          </div>
        </Paper>
      )}
    </>
  )
}
