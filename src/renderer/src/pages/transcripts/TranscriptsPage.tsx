import { Anchor, Button, Checkbox, Group, Loader, NumberInput, Paper, Select, Text, TextInput, Tooltip } from '@mantine/core'
import { useDebouncedValue, useHotkeys } from '@mantine/hooks'
import { type SortingState } from '@tanstack/react-table'
import { getCoreRowModel, getSortedRowModel, useLegacyTable, type LegacyColumnDef } from '@tanstack/react-table/legacy'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, useState } from 'react'
import { Link, useLocation } from 'wouter'
import { EmptyState } from '../../components/EmptyState.js'
import { notifyError } from '../../components/notify.js'
import { PageHeader } from '../../components/PageHeader.js'
import { useHost } from '../../hostContext.js'
import type { DiscussionRow, TranscriptFilter } from '../../results/discussionRecord.js'
import { CompareView } from './CompareView.js'
import { TranscriptView } from './TranscriptView.js'
import { forgetTranscriptCache, HOST_SORTABLE, hostSearches, searchTranscripts, type SearchPage, type TranscriptListing } from './transcriptSearch.js'

/** `/transcripts` (the list), `/transcripts/<id>` (one transcript), `/transcripts/compare/<a>/<b>` (two side by side). */
export function TranscriptsPage() {
  const [location] = useLocation()
  const parts = location.split('/').filter((part) => part !== '').map(decodeURIComponent)
  if (parts[1] === 'compare' && parts[2] !== undefined && parts[3] !== undefined) return <CompareView leftId={parts[2]} rightId={parts[3]} />
  if (parts[1] !== undefined) return <TranscriptView discussionId={parts[1]} />
  return <TranscriptList />
}

const ROW_HEIGHT = 44
/** Fixed widths; the topic takes what is left. */
const COLUMN_WIDTHS = { select: 40, id: 170, title: 200, conditions: 230, comments: 90, participants: 180, time: 150 } as const
/** A column's id, which TanStack takes from `accessorKey` when none is given. */
const columnId = (column: LegacyColumnDef<DiscussionRow, unknown>): string =>
  column.id ?? ('accessorKey' in column ? String(column.accessorKey) : '')
const cell = (width: number) => ({ width, flex: 'none', padding: '0 8px', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }) as const

function TranscriptList() {
  const host = useHost()
  const [, navigate] = useLocation()
  const [text, setText] = useState('')
  const [debouncedText] = useDebouncedValue(text, 250)
  const [conditions, setConditions] = useState<Record<string, string>>({})
  const [model, setModel] = useState<string | null>(null)
  const [personaAttribute, setPersonaAttribute] = useState('')
  const [debouncedAttribute] = useDebouncedValue(personaAttribute, 300)
  const [labelName, setLabelName] = useState<string | null>(null)
  const [labelMin, setLabelMin] = useState<number | ''>('')
  const [labelMax, setLabelMax] = useState<number | ''>('')
  const [minDisagreement, setMinDisagreement] = useState<number | ''>('')
  const [listing, setListing] = useState<TranscriptListing | null>(null)
  const [loading, setLoading] = useState(true)
  const [selected, setSelected] = useState<string[]>([])
  const [version, setVersion] = useState(0)
  const searchRef = useRef<HTMLInputElement>(null)
  useHotkeys([['/', () => searchRef.current?.focus()]])

  useEffect(
    () =>
      host.subscribe('workspace.changed', {
        onEvent: ({ kinds }) => {
          if (kinds.includes('discussion')) {
            forgetTranscriptCache()
            setVersion((value) => value + 1)
          }
        }
      }),
    [host]
  )

  const filter: TranscriptFilter = useMemo(
    () => ({
      text: debouncedText,
      conditions,
      model,
      personaAttribute: debouncedAttribute,
      label: labelName === null ? null : { name: labelName, min: labelMin === '' ? undefined : labelMin, max: labelMax === '' ? undefined : labelMax },
      minDisagreement: minDisagreement === '' ? null : minDisagreement
    }),
    [debouncedText, conditions, model, debouncedAttribute, labelName, labelMin, labelMax, minDisagreement]
  )

  // On a host that searches, the list holds the pages scrolled to so far, in the host's order: a
  // sortable column sorts there, over every match, not just the rows loaded.
  const searchesOnHost = hostSearches(host)
  const [sorting, setSorting] = useState<SortingState>([])
  const sortKey = sorting[0]?.id as keyof typeof HOST_SORTABLE | undefined
  const sort: SearchPage['sort'] =
    searchesOnHost && sortKey !== undefined && Object.hasOwn(HOST_SORTABLE, sortKey) ? { by: HOST_SORTABLE[sortKey], descending: sorting[0]?.desc ?? false } : undefined
  const sortBy = sort ? `${sort.by}:${sort.descending}` : ''
  // Bumped by every new search, so a page that arrives after the filters changed is dropped.
  const generation = useRef(0)
  const loadingMore = useRef(false)

  useEffect(() => {
    let cancelled = false
    const current = ++generation.current
    loadingMore.current = false
    setLoading(true)
    searchTranscripts(host, filter, sort ? { sort } : {}).then(
      (result) => {
        if (cancelled || current !== generation.current) return
        setListing(result)
        setLoading(false)
      },
      (error: unknown) => {
        if (cancelled) return
        setLoading(false)
        notifyError('Could not list the discussions', error)
      }
    )
    return () => {
      cancelled = true
    }
    // `sortBy` stands for `sort`, which is a new object every render.
  }, [host, filter, version, sortBy])

  const loadMore = (): void => {
    if (listing === null || loadingMore.current || listing.rows.length >= listing.total || !listing.searchedOnHost) return
    loadingMore.current = true
    const current = generation.current
    searchTranscripts(host, filter, { offset: listing.rows.length, ...(sort ? { sort } : {}) }).then(
      (page) => {
        loadingMore.current = false
        if (current !== generation.current) return
        setListing((shown) => (shown === null ? page : { ...shown, rows: [...shown.rows, ...page.rows], total: page.total }))
      },
      (error: unknown) => {
        loadingMore.current = false
        notifyError('Could not list more discussions', error)
      }
    )
  }

  const toggle = (id: string) =>
    setSelected((current) => (current.includes(id) ? current.filter((other) => other !== id) : [...current.slice(-1), id]))

  const columns = useMemo<LegacyColumnDef<DiscussionRow, unknown>[]>(
    () => [
      { id: 'select', header: '', size: 40, enableSorting: false, cell: () => null },
      { accessorKey: 'id', header: 'Discussion', size: COLUMN_WIDTHS.id },
      { accessorKey: 'title', header: 'Topic', size: COLUMN_WIDTHS.title },
      { id: 'conditions', header: 'Condition', size: COLUMN_WIDTHS.conditions, accessorFn: (row) => Object.values(row.conditions).join(' · ') },
      { accessorKey: 'commentCount', header: 'Comments', size: COLUMN_WIDTHS.comments },
      { id: 'participants', header: 'Participants', size: COLUMN_WIDTHS.participants, accessorFn: (row) => row.participants.join(', ') },
      { accessorKey: 'createdAt', header: 'Time', size: COLUMN_WIDTHS.time }
    ],
    []
  )
  const table = useLegacyTable({
    data: listing?.rows ?? [],
    columns: searchesOnHost ? columns.map((column) => ({ ...column, enableSorting: Object.hasOwn(HOST_SORTABLE, columnId(column)) })) : columns,
    state: { sorting },
    onSortingChange: setSorting,
    manualSorting: searchesOnHost,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel()
  })
  const rows = table.getRowModel().rows
  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 })
  const lastShown = virtualizer.getVirtualItems().at(-1)?.index ?? -1
  // The next page is asked for while the last hundred loaded rows come into view.
  useEffect(() => {
    if (lastShown >= rows.length - 100) loadMore()
  })
  const hasAnyDiscussion = listing !== null && (listing.rows.length > 0 || listing.conditionKeys.length > 0 || listing.models.length > 0)
  const filtered = debouncedText !== '' || Object.values(conditions).some((v) => v !== '') || model !== null || debouncedAttribute !== '' || labelName !== null || minDisagreement !== ''

  return (
    <>
      <PageHeader
        title="Transcripts"
        description="Every discussion of the workspace. Press / to search; tick two to compare them side by side."
        actions={
          <Button
            disabled={selected.length !== 2}
            onClick={() => navigate(`/transcripts/compare/${encodeURIComponent(selected[0] ?? '')}/${encodeURIComponent(selected[1] ?? '')}`)}
            data-testid="compare-selected"
          >
            Compare {selected.length}/2
          </Button>
        }
      />
      <Paper withBorder p="sm" mb="sm">
        <Group align="flex-end" gap="sm">
          <TextInput ref={searchRef} label="Text" placeholder="Words in any comment (/)" value={text} onChange={(event) => setText(event.currentTarget.value)} w={220} data-testid="transcript-search" />
          {(listing?.conditionKeys ?? []).map(({ key, values }) => (
            <Select
              key={key}
              label={key}
              placeholder="any"
              data={values}
              clearable
              value={conditions[key] ?? null}
              onChange={(value) => setConditions((current) => ({ ...current, [key]: value ?? '' }))}
              w={170}
              styles={{ label: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', maxWidth: 170 } }}
              title={key}
            />
          ))}
          {(listing?.models.length ?? 0) > 1 && <Select label="Model" placeholder="any" data={listing?.models ?? []} clearable value={model} onChange={setModel} w={180} />}
          <TextInput label="Persona attribute" placeholder="e.g. sex=female" value={personaAttribute} onChange={(event) => setPersonaAttribute(event.currentTarget.value)} w={180} />
          <Tooltip label={listing?.searchedOnHost ? 'Mean of the label over the discussion' : 'This host cannot search by label yet'}>
            <Group gap={4} align="flex-end" wrap="nowrap">
              <Select label="Label" placeholder="any" data={listing?.labels ?? []} clearable value={labelName} onChange={setLabelName} w={140} disabled={!listing?.searchedOnHost} />
              <NumberInput label="min" value={labelMin} onChange={(value) => setLabelMin(typeof value === 'number' ? value : '')} w={80} disabled={labelName === null} />
              <NumberInput label="max" value={labelMax} onChange={(value) => setLabelMax(typeof value === 'number' ? value : '')} w={80} disabled={labelName === null} />
            </Group>
          </Tooltip>
          <NumberInput
            label="Disagreement ≥"
            min={0}
            step={0.1}
            value={minDisagreement}
            onChange={(value) => setMinDisagreement(typeof value === 'number' ? value : '')}
            w={130}
            disabled={!listing?.searchedOnHost}
          />
        </Group>
      </Paper>
      {listing === null && loading && <Loader size="sm" />}
      {listing !== null && !hasAnyDiscussion && !filtered && (
        <EmptyState title="No discussions yet" action={<Anchor href="#/import">Import SDF files</Anchor>}>
          Discussions appear here when a run finishes or when you import SDF or SynDisco output. Start one on the Runs page, or import files.
        </EmptyState>
      )}
      {listing !== null && (hasAnyDiscussion || filtered) && (
        <>
          <Text size="sm" c="dimmed" mb={4} data-testid="transcript-count">
            {listing.total} discussion{listing.total === 1 ? '' : 's'}
            {listing.rows.length < listing.total ? ` (${listing.rows.length} listed so far: scroll for more)` : ''}
            {loading ? ' …' : ''}
          </Text>
          <div role="table" aria-label="Discussions" aria-rowcount={rows.length} style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 4 }}>
            <div role="row" style={{ display: 'flex', fontWeight: 600, fontSize: 13, borderBottom: '1px solid var(--mantine-color-default-border)' }}>
              {table.getHeaderGroups()[0]?.headers.map((header) => (
                <div
                  key={header.id}
                  role="columnheader"
                  style={{ width: header.getSize(), flex: header.id === 'title' ? '1 1 0' : 'none', minWidth: 0, padding: '6px 8px', cursor: header.column.getCanSort() ? 'pointer' : 'default', userSelect: 'none' }}
                  onClick={header.column.getToggleSortingHandler()}
                >
                  {String(header.column.columnDef.header ?? '')}
                  {{ asc: ' ▲', desc: ' ▼' }[header.column.getIsSorted() as string] ?? ''}
                </div>
              ))}
            </div>
            <div ref={scrollRef} style={{ height: 'calc(100vh - 22rem)', minHeight: 240, overflow: 'auto' }} data-testid="transcript-list">
              {rows.length === 0 && (
                <Text p="md" c="dimmed">
                  No discussion matches these filters.
                </Text>
              )}
              <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
                {virtualizer.getVirtualItems().map((item) => {
                  const row = rows[item.index]
                  if (row === undefined) return null
                  const discussion = row.original
                  return (
                    <div
                      key={row.id}
                      role="row"
                      data-testid="transcript-row"
                      data-discussion={discussion.id}
                      style={{
                        position: 'absolute',
                        top: 0,
                        left: 0,
                        right: 0,
                        height: ROW_HEIGHT,
                        transform: `translateY(${item.start}px)`,
                        display: 'flex',
                        alignItems: 'center',
                        fontSize: 13,
                        borderBottom: '1px solid var(--mantine-color-default-border)'
                      }}
                    >
                      <div role="cell" style={cell(COLUMN_WIDTHS.select)}>
                        <Checkbox size="xs" checked={selected.includes(discussion.id)} onChange={() => toggle(discussion.id)} aria-label={`Select ${discussion.id} to compare`} />
                      </div>
                      <div role="cell" style={cell(COLUMN_WIDTHS.id)}>
                        <Anchor component={Link} href={`/transcripts/${encodeURIComponent(discussion.id)}`} size="sm" data-testid="open-transcript">
                          {discussion.id}
                        </Anchor>
                      </div>
                      <div role="cell" style={{ ...cell(COLUMN_WIDTHS.title), flex: '1 1 0', minWidth: 0 }} title={discussion.title}>
                        {discussion.title}
                      </div>
                      <div
                        role="cell"
                        style={cell(COLUMN_WIDTHS.conditions)}
                        title={Object.entries(discussion.conditions)
                          .map(([key, value]) => `${key}: ${value}`)
                          .join('\n')}
                      >
                        {Object.values(discussion.conditions).join(' · ')}
                      </div>
                      <div role="cell" style={cell(COLUMN_WIDTHS.comments)}>
                        {discussion.commentCount}
                      </div>
                      <div role="cell" style={cell(COLUMN_WIDTHS.participants)}>
                        {discussion.participants.join(', ')}
                      </div>
                      <div role="cell" style={cell(COLUMN_WIDTHS.time)}>
                        {discussion.createdAt ?? ''}
                      </div>
                    </div>
                  )
                })}
              </div>
            </div>
          </div>
        </>
      )}
    </>
  )
}
