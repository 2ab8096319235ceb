import { ActionIcon, Button, Drawer, Group, Kbd, Loader, Text, Tooltip } from '@mantine/core'
import { useHotkeys } from '@mantine/hooks'
import { createColumnHelper, type RowSelectionState } from '@tanstack/react-table'
import { useMemo, useState } from 'react'
import { ConfirmModal } from '../../components/ConfirmModal.js'
import { EmptyState } from '../../components/EmptyState.js'
import { isExample, RecordNameCell } from '../../components/ExampleBadge.js'
import { ImportFilesButton } from '../../components/ImportFilesButton.js'
import { notifyError, notifySuccess } from '../../components/notify.js'
import { PageHeader } from '../../components/PageHeader.js'
import { ProblemsAlert } from '../../components/ProblemsAlert.js'
import { RecordTable, type recordTableFeatures } from '../../components/RecordTable.js'
import { newRecordId } from '../../components/recordIds.js'
import { useRecordActions } from '../../components/useRecordActions.js'
import { useRecordList } from '../../components/useRecordList.js'
import type { PersonaRecord } from './personaVariations.js'
import { PersonaForm } from './PersonaForm.js'
import { VariationsModal } from './VariationsModal.js'
import { CopyIcon, TrashIcon, VariationsIcon } from '../../components/icons.js'

const column = createColumnHelper<typeof recordTableFeatures, PersonaRecord>()
const cellText = (value: unknown) => (value === undefined || value === null ? '' : Array.isArray(value) ? value.join(', ') : String(value))

type Editing = { mode: 'new' } | { mode: 'edit'; persona: PersonaRecord } | null

export function PersonasPage() {
  const list = useRecordList<PersonaRecord>('persona')
  const actions = useRecordActions('persona')
  const [editing, setEditing] = useState<Editing>(null)
  const [selection, setSelection] = useState<RowSelectionState>({})
  const [deleting, setDeleting] = useState<string[] | null>(null)
  const [variationsFrom, setVariationsFrom] = useState<string | null | false>(false)
  const personas = list.items ?? []
  const takenIds = () => personas.map((persona) => persona.id)

  useHotkeys([['mod+N', () => setEditing({ mode: 'new' })]])

  const duplicate = async (persona: PersonaRecord) => {
    const { example: _example, source: _source, ...fields } = persona
    const copy = { ...structuredClone(fields), username: `${persona.username} (copy)` }
    copy.id = newRecordId(copy.username, takenIds(), 'persona')
    if ((await actions.saveMany([copy])) === 1) notifySuccess('Duplicated', `${copy.username} (${copy.id})`)
  }

  const columns = useMemo(
    () => [
      column.accessor('username', {
        header: 'Username',
        cell: (info) => <RecordNameCell name={info.getValue()} record={info.row.original} />
      }),
      column.accessor((persona) => cellText(persona['age']), { id: 'age', header: 'Age' }),
      column.accessor((persona) => cellText(persona['sex']), { id: 'sex', header: 'Sex' }),
      column.accessor((persona) => cellText(persona['education_level']), { id: 'education', header: 'Education', meta: { wrap: true } }),
      column.accessor((persona) => cellText(persona['current_employment']), { id: 'employment', header: 'Employment', meta: { wrap: true } }),
      column.accessor((persona) => cellText(persona['personality_characteristics']), { id: 'traits', header: 'Personality', meta: { wrap: true } }),
      column.display({
        id: 'actions',
        header: '',
        cell: (info) => (
          <Group gap={4} wrap="nowrap" justify="flex-end" onClick={(event) => event.stopPropagation()}>
            <Tooltip label="Duplicate">
              <ActionIcon variant="subtle" aria-label={`Duplicate ${info.row.original.username}`} onClick={() => void duplicate(info.row.original)}>
                <CopyIcon />
              </ActionIcon>
            </Tooltip>
            <Tooltip label="Generate variations">
              <ActionIcon variant="subtle" aria-label={`Variations of ${info.row.original.username}`} onClick={() => setVariationsFrom(info.row.original.id)}>
                <VariationsIcon />
              </ActionIcon>
            </Tooltip>
            <Tooltip label="Delete">
              <ActionIcon variant="subtle" color="red" aria-label={`Delete ${info.row.original.username}`} onClick={() => setDeleting([info.row.original.id])}>
                <TrashIcon />
              </ActionIcon>
            </Tooltip>
          </Group>
        )
      })
    ],
    [personas]
  )

  const selectedIds = Object.keys(selection).filter((id) => selection[id] === true)
  const exampleIds = personas.filter(isExample).map((persona) => persona.id)

  return (
    <>
      <PageHeader
        title="Personas"
        description="Who takes part in discussions: SDF's persona fields plus any attributes your study varies."
        actions={
          <>
            <ImportFilesButton label="Import files…" accept=".json,application/json" testId="personas-import" />
            <Button variant="default" onClick={() => setVariationsFrom(null)} disabled={personas.length === 0} data-testid="personas-variations">
              Generate variations
            </Button>
            <Tooltip label={<>New persona <Kbd size="xs">Ctrl/⌘ N</Kbd></>}>
              <Button onClick={() => setEditing({ mode: 'new' })} data-testid="personas-new">
                New persona
              </Button>
            </Tooltip>
          </>
        }
      />
      <ProblemsAlert problems={list.problems} what="persona" />
      {list.items === null && <Loader size="sm" />}
      {list.error !== null && (
        <Text c="red" size="sm" mb="sm">
          Could not read the personas: {list.error}
        </Text>
      )}
      {list.items !== null && personas.length === 0 && (
        <EmptyState
          title="No personas yet"
          action={
            <Group>
              <Button onClick={() => setEditing({ mode: 'new' })}>Create a persona</Button>
              <ImportFilesButton label="Import persona files" accept=".json,application/json" testId="personas-import-empty" />
            </Group>
          }
        >
          Personas are the participants of your synthetic discussions. Create one, import SDF or SynDisco persona files, or
          import a whole SDF folder on the Import page.
        </EmptyState>
      )}
      {personas.length > 0 && (
        <RecordTable
          name="personas"
          data={personas}
          columns={columns}
          onOpen={(persona) => setEditing({ mode: 'edit', persona })}
          selection={selection}
          onSelectionChange={setSelection}
          toolbar={
            <>
              {selectedIds.length > 0 && (
                <Button size="xs" color="red" variant="light" onClick={() => setDeleting(selectedIds)} data-testid="personas-delete-selected">
                  Delete {selectedIds.length} selected
                </Button>
              )}
              {exampleIds.length > 0 && (
                <Button size="xs" variant="subtle" color="gray" onClick={() => setDeleting(exampleIds)} data-testid="personas-remove-examples">
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
        title={editing?.mode === 'edit' ? `Edit ${editing.persona.username}` : 'New persona'}
        position="right"
        size="lg"
      >
        {editing !== null && (
          <PersonaForm
            key={editing.mode === 'edit' ? editing.persona.id : 'new'}
            persona={editing.mode === 'edit' ? editing.persona : null}
            newId={(username) => newRecordId(username, takenIds(), 'persona')}
            onCancel={() => setEditing(null)}
            onSave={async (record) => {
              await actions.save(record)
              notifySuccess(editing.mode === 'edit' ? 'Persona saved' : 'Persona created', `${record.username} (${record.id})`)
              setEditing(null)
            }}
          />
        )}
      </Drawer>
      {variationsFrom !== false && (
        <VariationsModal
          opened
          personas={personas}
          initialTemplateId={variationsFrom}
          onClose={() => setVariationsFrom(false)}
          onGenerate={async (generated) => {
            const stored = await actions.saveMany(generated)
            if (stored > 0) notifySuccess('Variations created', `${stored} new persona${stored === 1 ? '' : 's'}`)
          }}
        />
      )}
      <ConfirmModal
        opened={deleting !== null}
        title="Delete personas"
        confirmLabel={`Delete ${deleting?.length ?? 0}`}
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          try {
            await actions.removeMany(deleting ?? [])
            setSelection({})
          } catch (error) {
            notifyError('Could not delete', error)
          }
        }}
      >
        Delete {deleting?.length === 1 ? `persona "${deleting[0]}"` : `${deleting?.length ?? 0} personas`}? Designs that use them will no longer
        run until you replace them. Discussions already generated keep their own copy of each participant.
      </ConfirmModal>
    </>
  )
}
