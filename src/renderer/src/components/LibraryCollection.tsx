import { ActionIcon, Button, Drawer, Group, Kbd, Loader, Text, Tooltip } from '@mantine/core'
import { useHotkeys } from '@mantine/hooks'
import type { RowSelectionState } from '@tanstack/react-table'
import { useState, type ReactNode } from 'react'
import type { RecordJson, RecordKind } from '../../../shared/index.js'
import { ConfirmModal } from './ConfirmModal.js'
import { EmptyState } from './EmptyState.js'
import { isExample } from './ExampleBadge.js'
import { ImportFilesButton } from './ImportFilesButton.js'
import { notifySuccess } from './notify.js'
import { PageHeader } from './PageHeader.js'
import { ProblemsAlert } from './ProblemsAlert.js'
import { RecordTable, type RecordColumn } from './RecordTable.js'
import { newRecordId } from './recordIds.js'
import { useRecordActions } from './useRecordActions.js'
import { useRecordList, type RecordList } from './useRecordList.js'
import { CopyIcon, TrashIcon } from './icons.js'

export interface EditorProps<T> {
  /** null for a new record. */
  record: T | null
  /** A fresh id for a new record from its name. */
  newId: (name: string) => string
  save: (record: T) => Promise<void>
  cancel: () => void
}

/**
 * A library page for one kind of record: table with filter, sort and selection, a drawer to create
 * or edit (Ctrl/⌘+N for new), duplicate, delete with confirmation, removal of starter examples,
 * bulk import, and an empty state that says what to do first.
 */
export function LibraryCollection<T extends RecordJson>({
  kind,
  title,
  description,
  noun,
  columns,
  nameOf,
  editor,
  emptyText,
  importAccept,
  importTextKind,
  filter,
  headerExtra,
  drawerSize = 'lg',
  list: givenList
}: {
  kind: RecordKind
  title: string
  description: ReactNode
  /** `topic`, `instruction`…: used in buttons, toasts and test ids. */
  noun: string
  columns: RecordColumn<T>[]
  nameOf: (record: T) => string
  editor: (props: EditorProps<T>) => ReactNode
  emptyText: ReactNode
  importAccept?: string
  importTextKind?: 'topic' | 'user-instruction' | 'moderator-instruction' | 'annotator-instruction'
  /** Narrows what the table shows (e.g. one kind of instruction). */
  filter?: (record: T) => boolean
  headerExtra?: ReactNode
  drawerSize?: string
  list?: RecordList<T>
}) {
  const ownList = useRecordList<T>(kind)
  const list = givenList ?? ownList
  const actions = useRecordActions(kind)
  const [editing, setEditing] = useState<{ record: T | null } | null>(null)
  const [selection, setSelection] = useState<RowSelectionState>({})
  const [deleting, setDeleting] = useState<string[] | null>(null)
  const all = list.items ?? []
  const shown = filter === undefined ? all : all.filter(filter)
  const takenIds = () => all.map((record) => record.id)
  const newId = (name: string) => newRecordId(name, takenIds(), noun)
  useHotkeys([['mod+N', () => setEditing({ record: null })]])

  const duplicate = async (record: T) => {
    const { example: _example, source: _source, ...fields } = record as T & { example?: unknown; source?: unknown }
    const name = `${nameOf(record)} (copy)`
    const copy = { ...structuredClone(fields), id: newId(name) } as T
    for (const key of ['name', 'title'] as const) {
      if (typeof (copy as Record<string, unknown>)[key] === 'string') (copy as Record<string, unknown>)[key] = name
    }
    if ((await actions.saveMany([copy])) === 1) notifySuccess('Duplicated', `${name} (${copy.id})`)
  }

  const actionColumn: RecordColumn<T> = {
    id: 'actions',
    header: '',
    enableSorting: false,
    cell: (info) => (
      <Group gap={4} wrap="nowrap" justify="flex-end" onClick={(event) => event.stopPropagation()}>
        <Tooltip label="Duplicate">
          <ActionIcon variant="subtle" aria-label={`Duplicate ${nameOf(info.row.original)}`} onClick={() => void duplicate(info.row.original)}>
            <CopyIcon />
          </ActionIcon>
        </Tooltip>
        <Tooltip label="Delete">
          <ActionIcon variant="subtle" color="red" aria-label={`Delete ${nameOf(info.row.original)}`} onClick={() => setDeleting([info.row.original.id])}>
            <TrashIcon />
          </ActionIcon>
        </Tooltip>
      </Group>
    )
  }
  const selectedIds = Object.keys(selection).filter((id) => selection[id] === true)
  const exampleIds = shown.filter(isExample).map((record) => record.id)
  const newButton = (
    <Tooltip label={<>New {noun} <Kbd size="xs">Ctrl/⌘ N</Kbd></>}>
      <Button onClick={() => setEditing({ record: null })} data-testid={`${kind}s-new`}>
        New {noun}
      </Button>
    </Tooltip>
  )

  return (
    <>
      <PageHeader
        title={title}
        description={description}
        actions={
          <>
            {importAccept !== undefined && (
              <ImportFilesButton label="Import files…" accept={importAccept} testId={`${kind}s-import`} {...(importTextKind === undefined ? {} : { textKind: importTextKind })} />
            )}
            {newButton}
          </>
        }
      />
      {headerExtra}
      <ProblemsAlert problems={list.problems} what={noun} />
      {list.items === null && <Loader size="sm" />}
      {list.error !== null && (
        <Text c="red" size="sm" mb="sm">
          Could not read the {noun}s: {list.error}
        </Text>
      )}
      {list.items !== null && shown.length === 0 && (
        <EmptyState title={`No ${noun}s yet`} action={<Button onClick={() => setEditing({ record: null })}>Create a {noun}</Button>}>
          {emptyText}
        </EmptyState>
      )}
      {shown.length > 0 && (
        <RecordTable
          name={`${kind}s`}
          data={shown}
          columns={[...columns, actionColumn]}
          onOpen={(record) => setEditing({ record })}
          selection={selection}
          onSelectionChange={setSelection}
          toolbar={
            <>
              {selectedIds.length > 0 && (
                <Button size="xs" color="red" variant="light" onClick={() => setDeleting(selectedIds)} data-testid={`${kind}s-delete-selected`}>
                  Delete {selectedIds.length} selected
                </Button>
              )}
              {exampleIds.length > 0 && (
                <Button size="xs" variant="subtle" color="gray" onClick={() => setDeleting(exampleIds)} data-testid={`${kind}s-remove-examples`}>
                  Remove {exampleIds.length} examples
                </Button>
              )}
            </>
          }
        />
      )}
      <Drawer
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing?.record ? `Edit ${nameOf(editing.record)}` : `New ${noun}`}
        position="right"
        size={drawerSize}
      >
        {editing !== null &&
          editor({
            record: editing.record,
            newId,
            cancel: () => setEditing(null),
            save: async (record) => {
              await actions.save(record)
              notifySuccess(editing.record === null ? `Created ${noun}` : `Saved ${noun}`, `${nameOf(record)} (${record.id})`)
              setEditing(null)
            }
          })}
      </Drawer>
      <ConfirmModal
        opened={deleting !== null}
        title={`Delete ${noun}s`}
        confirmLabel={`Delete ${deleting?.length ?? 0}`}
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          await actions.removeMany(deleting ?? [])
          setSelection({})
        }}
      >
        Delete {deleting?.length === 1 ? `${noun} "${deleting[0]}"` : `${deleting?.length ?? 0} ${noun}s`}? Designs that use them will not run until
        you replace them.
      </ConfirmModal>
    </>
  )
}
