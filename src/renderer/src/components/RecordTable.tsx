import { Checkbox, Group, ScrollArea, Table, Text, TextInput, UnstyledButton } from '@mantine/core'
import {
  columnFilteringFeature,
  createFilteredRowModel,
  createSortedRowModel,
  filterFn_includesString,
  globalFilteringFeature,
  rowSelectionFeature,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_basic,
  sortFn_text,
  tableFeatures,
  useTable,
  type ColumnDef,
  type RowData,
  type RowSelectionState,
  type SortingState
} from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useMemo, useRef, useState, type ReactNode } from 'react'

/** The features every record table registers: sorting, a text filter over all columns, row selection. */
export const recordTableFeatures = tableFeatures({
  rowSortingFeature,
  columnFilteringFeature,
  globalFilteringFeature,
  rowSelectionFeature,
  filteredRowModel: createFilteredRowModel(),
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, text: sortFn_text, basic: sortFn_basic },
  filterFns: { includesString: filterFn_includesString }
})

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- columns of mixed value types, as TanStack's own helper types them
export type RecordColumn<T extends RowData> = ColumnDef<typeof recordTableFeatures, T, any>

const ROW_HEIGHT = 41
/** Rows above this are virtualised; below it the table sizes to its content. */
const VIRTUAL_FROM = 60

export interface RecordTableProps<T extends { id: string }> {
  data: readonly T[]
  columns: RecordColumn<T>[]
  /** Names the table for screen readers and tests (`<name>-table`, `<name>-filter`). */
  name: string
  onOpen?: (record: T) => void
  selection?: RowSelectionState
  onSelectionChange?: (selection: RowSelectionState) => void
  /** Shown instead of the rows when the filter leaves none. */
  noMatch?: ReactNode
  toolbar?: ReactNode
}

/**
 * A sortable, filterable table of records (TanStack Table), with checkboxes for bulk actions and a
 * virtualised body for long lists (TanStack Virtual, spacer rows keep the native table layout).
 */
export function RecordTable<T extends { id: string }>({
  data,
  columns,
  name,
  onOpen,
  selection,
  onSelectionChange,
  noMatch,
  toolbar
}: RecordTableProps<T>) {
  const [sorting, setSorting] = useState<SortingState>([])
  const [globalFilter, setGlobalFilter] = useState('')
  const [ownSelection, setOwnSelection] = useState<RowSelectionState>({})
  const rowSelection = selection ?? ownSelection
  const setRowSelection = onSelectionChange ?? setOwnSelection
  const rows = useMemo(() => [...data], [data])
  const table = useTable({
    features: recordTableFeatures,
    columns,
    data: rows,
    getRowId: (row: T) => row.id,
    state: { sorting, globalFilter, rowSelection },
    onSortingChange: setSorting,
    onGlobalFilterChange: (updater) => setGlobalFilter((old) => String(typeof updater === 'function' ? updater(old) : updater)),
    onRowSelectionChange: (updater) => setRowSelection(typeof updater === 'function' ? updater(rowSelection) : updater),
    globalFilterFn: 'includesString',
    getColumnCanGlobalFilter: () => true
  })
  const visible = table.getRowModel().rows
  const scrollRef = useRef<HTMLDivElement>(null)
  const virtual = visible.length > VIRTUAL_FROM
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    enabled: virtual
  })
  const items = virtual ? virtualizer.getVirtualItems() : visible.map((_, index) => ({ index, start: index * ROW_HEIGHT, end: (index + 1) * ROW_HEIGHT }))
  const padTop = virtual && items.length > 0 ? (items[0]?.start ?? 0) : 0
  const padBottom = virtual && items.length > 0 ? virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0) : 0
  const columnCount = columns.length + 1
  const allSelected = table.getIsAllRowsSelected()
  const someSelected = table.getIsSomeRowsSelected()

  return (
    <>
      <Group mb="xs" gap="xs" wrap="wrap">
        <TextInput
          placeholder="Filter…"
          aria-label={`Filter ${name}`}
          data-testid={`${name}-filter`}
          value={globalFilter}
          onChange={(event) => setGlobalFilter(event.currentTarget.value)}
          w={260}
        />
        <Text size="sm" c="dimmed" data-testid={`${name}-count`}>
          {visible.length === data.length ? `${data.length}` : `${visible.length} of ${data.length}`}
        </Text>
        {toolbar}
      </Group>
      <ScrollArea.Autosize mah={virtual ? '70vh' : undefined} viewportRef={scrollRef} type="auto">
        <Table striped highlightOnHover stickyHeader data-testid={`${name}-table`} aria-label={name} verticalSpacing={6}>
          <Table.Thead>
            {table.getHeaderGroups().map((group) => (
              <Table.Tr key={group.id}>
                <Table.Th w={36}>
                  <Checkbox
                    aria-label="Select all"
                    checked={allSelected}
                    indeterminate={someSelected && !allSelected}
                    onChange={table.getToggleAllRowsSelectedHandler()}
                  />
                </Table.Th>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted()
                  return (
                    <Table.Th
                      key={header.id}
                      aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                      style={{ whiteSpace: 'nowrap' }}
                    >
                      {header.isPlaceholder ? null : header.column.getCanSort() ? (
                        <UnstyledButton onClick={header.column.getToggleSortingHandler()} fw={600} fz="sm">
                          <table.FlexRender header={header} />
                          {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                        </UnstyledButton>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </Table.Th>
                  )
                })}
              </Table.Tr>
            ))}
          </Table.Thead>
          <Table.Tbody>
            {padTop > 0 && (
              <tr>
                <td colSpan={columnCount} style={{ height: padTop, padding: 0 }} />
              </tr>
            )}
            {items.map((item) => {
              const row = visible[item.index]
              if (row === undefined) return null
              return (
                <Table.Tr
                  key={row.id}
                  data-testid={`${name}-row`}
                  data-id={row.id}
                  style={onOpen ? { cursor: 'pointer' } : undefined}
                  onClick={onOpen ? () => onOpen(row.original) : undefined}
                >
                  <Table.Td onClick={(event) => event.stopPropagation()}>
                    <Checkbox aria-label={`Select ${row.id}`} checked={row.getIsSelected()} onChange={row.getToggleSelectedHandler()} />
                  </Table.Td>
                  {row.getAllCells().map((cell) => (
                    <Table.Td
                      key={cell.id}
                      style={{
                        maxWidth: 420,
                        overflow: 'hidden',
                        textOverflow: 'ellipsis',
                        whiteSpace: (cell.column.columnDef.meta as { wrap?: boolean } | undefined)?.wrap === true ? 'normal' : 'nowrap'
                      }}
                    >
                      <table.FlexRender cell={cell} />
                    </Table.Td>
                  ))}
                </Table.Tr>
              )
            })}
            {padBottom > 0 && (
              <tr>
                <td colSpan={columnCount} style={{ height: padBottom, padding: 0 }} />
              </tr>
            )}
          </Table.Tbody>
        </Table>
        {visible.length === 0 && data.length > 0 && (
          <Text c="dimmed" size="sm" p="sm">
            {noMatch ?? 'Nothing matches the filter.'}
          </Text>
        )}
      </ScrollArea.Autosize>
    </>
  )
}
