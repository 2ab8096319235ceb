import { zodResolver } from '@hookform/resolvers/zod'
import { Badge, Group, SegmentedControl, Select, Stack, Text, Textarea, TextInput } from '@mantine/core'
import { createColumnHelper } from '@tanstack/react-table'
import { useState } from 'react'
import { Controller, useForm, useWatch, type Path } from 'react-hook-form'
import { z } from 'zod'
import { applyApiIssues, formFieldPath } from '../../components/apiIssues.js'
import { RecordNameCell } from '../../components/ExampleBadge.js'
import { FormActions } from '../../components/FormActions.js'
import { LibraryCollection, type EditorProps } from '../../components/LibraryCollection.js'
import { notifyError } from '../../components/notify.js'
import { PromptPreviewPanel } from '../../components/PromptPreviewPanel.js'
import type { recordTableFeatures } from '../../components/RecordTable.js'
import { useRecordList } from '../../components/useRecordList.js'

const KINDS = ['user', 'moderator', 'annotator'] as const
type InstructionKind = (typeof KINDS)[number]

interface InstructionRecord {
  id: string
  kind: InstructionKind
  name: string
  text: string
  example?: boolean
  [field: string]: unknown
}

const KIND_COLOUR: Record<InstructionKind, string> = { user: 'blue', moderator: 'teal', annotator: 'orange' }

const InstructionFormSchema = z.object({
  kind: z.enum(KINDS, 'Choose who receives these instructions'),
  name: z.string().trim().min(1, 'Name the instructions, so designs can list them'),
  text: z.string().refine((text) => text.trim() !== '', 'Write the instructions the model is given')
})
type InstructionFormValues = z.infer<typeof InstructionFormSchema>

interface Choice {
  id: string
  label: string
}

function InstructionForm({
  record,
  newId,
  save,
  cancel,
  defaultKind,
  personas,
  topics
}: EditorProps<InstructionRecord> & { defaultKind: InstructionKind; personas: Choice[]; topics: Choice[] }) {
  const { register, control, handleSubmit, formState, setError } = useForm<InstructionFormValues>({
    resolver: zodResolver(InstructionFormSchema),
    mode: 'onSubmit',
    defaultValues: { kind: record?.kind ?? defaultKind, name: record?.name ?? '', text: record?.text ?? '' }
  })
  const errors = formState.errors
  const [kind, text] = useWatch({ control, name: ['kind', 'text'] })
  const submit = handleSubmit(async (values) => {
    // Kept verbatim, escapes and all: SDF passed instruction files to the model unchanged.
    const stored: InstructionRecord = { ...(record ?? {}), id: record?.id ?? newId(values.name), kind: values.kind, name: values.name.trim(), text: values.text }
    try {
      await save(stored)
    } catch (error) {
      if (!applyApiIssues(error, setError, (path) => formFieldPath(path) as Path<InstructionFormValues>)) notifyError('Could not save the instructions', error)
    }
  })
  return (
    <Stack gap="md">
      <form onSubmit={submit} noValidate data-testid="instruction-form" aria-label="Instructions">
        <Stack gap="sm">
          <Group grow align="flex-start">
            <Controller
              control={control}
              name="kind"
              render={({ field }) => (
                <Select
                  label="For"
                  data={[
                    { value: 'user', label: 'Users (participants)' },
                    { value: 'moderator', label: 'The moderator' },
                    { value: 'annotator', label: 'Annotators' }
                  ]}
                  value={field.value}
                  onChange={(value) => field.onChange(value ?? field.value)}
                  allowDeselect={false}
                  error={errors.kind?.message}
                  data-testid="instruction-kind"
                />
              )}
            />
            <TextInput label="Name" withAsterisk {...register('name')} error={errors.name?.message} data-testid="instruction-name" data-autofocus />
          </Group>
          <Textarea
            label="Text"
            withAsterisk
            autosize
            minRows={5}
            maxRows={16}
            {...register('text')}
            error={errors.text?.message}
            data-testid="instruction-text"
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
          />
          <FormActions isNew={record === null} createLabel="Create instructions" submitting={formState.isSubmitting} onCancel={cancel} testId="instruction-save" />
        </Stack>
      </form>
      {kind === 'annotator' ? (
        <Text size="sm" c="dimmed">
          Annotator instructions are used by annotator specs (Annotators page); their prompt is shown there when an annotator runs.
        </Text>
      ) : (
        <PromptPreviewPanel personas={personas} topics={topics} instructionText={text} instructionKind={kind} />
      )}
    </Stack>
  )
}

const column = createColumnHelper<typeof recordTableFeatures, InstructionRecord>()
const columns = [
  column.accessor('name', {
    header: 'Name',
    cell: (info) => <RecordNameCell name={info.getValue()} record={info.row.original} />
  }),
  column.accessor('kind', {
    header: 'For',
    cell: (info) => (
      <Badge variant="light" color={KIND_COLOUR[info.getValue()]} size="sm">
        {info.getValue()}
      </Badge>
    )
  }),
  column.accessor('text', {
    header: 'Text',
    meta: { wrap: true },
    cell: (info) => (
      <Text size="sm" lineClamp={2} maw={520}>
        {info.getValue()}
      </Text>
    )
  })
]

export function InstructionsPage() {
  const [kind, setKind] = useState<'all' | InstructionKind>('all')
  const personas = useRecordList<{ id: string; username: string }>('persona')
  const topics = useRecordList<{ id: string; title: string }>('topic')
  const personaChoices = (personas.items ?? []).map((persona) => ({ id: persona.id, label: persona.username }))
  const topicChoices = (topics.items ?? []).map((topic) => ({ id: topic.id, label: topic.title || topic.id }))
  return (
    <LibraryCollection<InstructionRecord>
      kind="instruction"
      noun="instruction"
      title="Instructions"
      description="What users, moderators and annotators are told. Open one to see the exact prompt a persona would receive."
      columns={columns}
      nameOf={(instruction) => instruction.name || instruction.id}
      filter={kind === 'all' ? undefined : (instruction) => instruction.kind === kind}
      drawerSize="xl"
      headerExtra={
        <SegmentedControl
          mb="sm"
          value={kind}
          onChange={(value) => setKind(value as typeof kind)}
          data={[
            { value: 'all', label: 'All' },
            { value: 'user', label: 'User' },
            { value: 'moderator', label: 'Moderator' },
            { value: 'annotator', label: 'Annotator' }
          ]}
          aria-label="Whose instructions"
          data-testid="instructions-kind-filter"
        />
      }
      editor={(props) => (
        <InstructionForm key={props.record?.id ?? 'new'} {...props} defaultKind={kind === 'all' ? 'user' : kind} personas={personaChoices} topics={topicChoices} />
      )}
      emptyText="Instructions tell the models how to behave: plain or argumentative users, trolls, moderation strategies, annotation guidelines. Write some, or import an SDF folder on the Import page."
    />
  )
}
