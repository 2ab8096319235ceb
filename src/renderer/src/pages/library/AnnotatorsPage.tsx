import { zodResolver } from '@hookform/resolvers/zod'
import { ActionIcon, Badge, Button, Checkbox, Group, NumberInput, Paper, SegmentedControl, Select, SimpleGrid, Stack, Switch, TagsInput, Text, Textarea, TextInput } from '@mantine/core'
import { createColumnHelper } from '@tanstack/react-table'
import { Controller, useFieldArray, useForm, useWatch, type Control, type FieldErrors, type Path, type UseFormRegister } from 'react-hook-form'
import { applyApiIssues, formFieldPath } from '../../components/apiIssues.js'
import { RecordNameCell } from '../../components/ExampleBadge.js'
import { FormActions } from '../../components/FormActions.js'
import { LibraryCollection, type EditorProps } from '../../components/LibraryCollection.js'
import { notifyError } from '../../components/notify.js'
import type { recordTableFeatures } from '../../components/RecordTable.js'
import { useRecordList } from '../../components/useRecordList.js'
import {
  AnnotatorFormSchema,
  annotatorToForm,
  emptyLabel,
  formToAnnotator,
  LABEL_TYPES,
  RATIONALE_LABEL,
  type AnnotatorFormValues,
  type AnnotatorRecord,
  type LabelType
} from './annotatorForm.js'
import { CloseIcon } from '../../components/icons.js'

interface PersonaChoice {
  id: string
  username: string
  [field: string]: unknown
}

interface InstructionChoice {
  id: string
  kind: string
  name: string
  text: string
  [field: string]: unknown
}

const TYPE_LABEL: Record<LabelType, string> = {
  integer: 'Integer range',
  number: 'Number range',
  category: 'Category list',
  boolean: 'Yes / no',
  text: 'Free text'
}

function LabelEditor({
  index,
  control,
  register,
  errors,
  remove
}: {
  index: number
  control: Control<AnnotatorFormValues>
  register: UseFormRegister<AnnotatorFormValues>
  errors: FieldErrors<AnnotatorFormValues>
  remove: () => void
}) {
  const type = useWatch({ control, name: `labels.${index}.type` })
  const labelErrors = errors.labels?.[index]
  const numberField = (bound: 'min' | 'max' | 'max_length', label: string) => (
    <Controller
      control={control}
      name={`labels.${index}.${bound}`}
      render={({ field }) => (
        <NumberInput
          label={label}
          value={field.value ?? ''}
          onChange={(value) => field.onChange(typeof value === 'number' ? value : value === '' ? null : Number(value))}
          onBlur={field.onBlur}
          allowDecimal={type === 'number'}
          error={labelErrors?.[bound]?.message}
          w={120}
          data-testid={`label-${index}-${bound}`}
        />
      )}
    />
  )
  return (
    <Paper withBorder p="sm" data-testid={`label-${index}`}>
      <Stack gap="xs">
        <Group align="flex-start" gap="xs" wrap="wrap">
          <TextInput label="Label" placeholder="toxicity" {...register(`labels.${index}.name`)} error={labelErrors?.name?.message} w={180} data-testid={`label-${index}-name`} />
          <Controller
            control={control}
            name={`labels.${index}.type`}
            render={({ field }) => (
              <Select
                label="Type"
                data={LABEL_TYPES.map((value) => ({ value, label: TYPE_LABEL[value] }))}
                value={field.value}
                onChange={(value) => field.onChange(value ?? field.value)}
                allowDeselect={false}
                w={160}
                data-testid={`label-${index}-type`}
              />
            )}
          />
          {(type === 'integer' || type === 'number') && (
            <>
              {numberField('min', 'From')}
              {numberField('max', 'To')}
            </>
          )}
          {type === 'text' && numberField('max_length', 'Max characters')}
          <ActionIcon variant="subtle" color="red" mt={28} aria-label={`Remove label ${index + 1}`} onClick={remove}>
            <CloseIcon />
          </ActionIcon>
        </Group>
        {type === 'category' && (
          <Controller
            control={control}
            name={`labels.${index}.options`}
            render={({ field }) => (
              <TagsInput
                label="Categories (Enter after each)"
                value={field.value}
                onChange={field.onChange}
                error={labelErrors?.options?.message}
                data-testid={`label-${index}-options`}
              />
            )}
          />
        )}
        <TextInput label="What it means" placeholder="1 = not toxic … 5 = extremely toxic" {...register(`labels.${index}.description`)} />
      </Stack>
    </Paper>
  )
}

function AnnotatorForm({
  record,
  newId,
  save,
  cancel,
  personas,
  instructions
}: EditorProps<AnnotatorRecord> & { personas: readonly PersonaChoice[]; instructions: readonly InstructionChoice[] }) {
  const personaIdOf = (snapshot: Record<string, unknown>) => personas.find((persona) => persona.username === snapshot['username'])?.id ?? `stored:${String(snapshot['username'])}`
  const { register, control, handleSubmit, formState, setError, setValue } = useForm<AnnotatorFormValues>({
    resolver: zodResolver(AnnotatorFormSchema),
    mode: 'onSubmit',
    defaultValues: annotatorToForm(record, personaIdOf)
  })
  const labels = useFieldArray({ control, name: 'labels' })
  const watchedLabels = useWatch({ control, name: 'labels' })
  const hasRationale = watchedLabels.some((label) => label.name === RATIONALE_LABEL && label.type === 'text')
  const errors = formState.errors
  const submit = handleSubmit(async (values) => {
    const stored = formToAnnotator(values, record?.id ?? newId(values.name), record, (id) => personas.find((persona) => persona.id === id))
    try {
      await save(stored)
    } catch (error) {
      const placed = applyApiIssues(error, setError, (path) => {
        const [head] = path
        if (head === 'context') return formFieldPath(path.slice(1)) as Path<AnnotatorFormValues>
        return head === 'persona' ? 'personaId' : (formFieldPath(path) as Path<AnnotatorFormValues>)
      })
      if (!placed) notifyError('Could not save the annotator', error)
    }
  })
  const storedPersona = record?.persona && personaIdOf(record.persona).startsWith('stored:') ? personaIdOf(record.persona) : null
  return (
    <form onSubmit={submit} noValidate data-testid="annotator-form" aria-label="Annotator">
      <Stack gap="sm">
        <Group grow align="flex-start">
          <TextInput label="Name" withAsterisk {...register('name')} error={errors.name?.message} data-testid="annotator-name" data-autofocus />
          <Controller
            control={control}
            name="personaId"
            render={({ field }) => (
              <Select
                label="Annotator persona"
                placeholder="None (a plain annotator)"
                clearable
                searchable
                data={[
                  ...(storedPersona === null ? [] : [{ value: storedPersona, label: `${storedPersona.slice('stored:'.length)} (stored copy)` }]),
                  ...personas.map((persona) => ({ value: persona.id, label: persona.username }))
                ]}
                value={field.value}
                onChange={field.onChange}
                error={errors.personaId?.message}
              />
            )}
          />
        </Group>
        <Group align="flex-end" gap="xs">
          <Select
            label="Start from annotator instructions"
            placeholder={instructions.length === 0 ? 'No annotator instructions yet' : 'Pick to copy their text'}
            data={instructions.map((instruction) => ({ value: instruction.id, label: instruction.name }))}
            value={null}
            onChange={(id) => {
              const chosen = instructions.find((instruction) => instruction.id === id)
              if (chosen) setValue('instructions', chosen.text, { shouldDirty: true })
            }}
            disabled={instructions.length === 0}
            style={{ flex: 1 }}
          />
        </Group>
        <Textarea label="Instructions" autosize minRows={4} maxRows={12} {...register('instructions')} error={errors.instructions?.message} data-testid="annotator-instructions" />
        <Controller
          control={control}
          name="mode"
          render={({ field }) => (
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                Answer format
              </Text>
              <SegmentedControl
                value={field.value}
                onChange={field.onChange}
                data={[
                  { value: 'structured', label: 'Structured (JSON held to the labels)' },
                  { value: 'sdf-legacy', label: 'SDF legacy (Key=value text)' }
                ]}
              />
            </Stack>
          )}
        />
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <Controller
            control={control}
            name="history"
            render={({ field }) => (
              <NumberInput label="Context comments" description="The last N, ending with the rated one" min={1} value={field.value} onChange={(value) => field.onChange(Number(value))} error={errors.history?.message} />
            )}
          />
          <Controller control={control} name="include_topic" render={({ field }) => <Switch mt="lg" label="Show the topic" checked={field.value} onChange={(event) => field.onChange(event.currentTarget.checked)} />} />
          <Controller
            control={control}
            name="include_moderator_comments"
            render={({ field }) => <Switch mt="lg" label="Show moderator comments" checked={field.value} onChange={(event) => field.onChange(event.currentTarget.checked)} />}
          />
        </SimpleGrid>
        <Group justify="space-between">
          <Text size="sm" fw={600}>
            Labels
          </Text>
          <Checkbox
            label="Ask for a rationale"
            checked={hasRationale}
            data-testid="annotator-rationale"
            onChange={(event) => {
              if (event.currentTarget.checked) labels.append(emptyLabel('text', RATIONALE_LABEL))
              else labels.remove(watchedLabels.map((label, index) => (label.name === RATIONALE_LABEL ? index : -1)).filter((index) => index >= 0))
            }}
          />
        </Group>
        {errors.labels?.message !== undefined && (
          <Text c="red" size="sm">
            {errors.labels.message}
          </Text>
        )}
        {labels.fields.map((item, index) => (
          <LabelEditor key={item.id} index={index} control={control} register={register} errors={errors} remove={() => labels.remove(index)} />
        ))}
        <Button variant="subtle" size="xs" w="fit-content" onClick={() => labels.append(emptyLabel())} data-testid="annotator-add-label">
          + Add label
        </Button>
        <FormActions isNew={record === null} createLabel="Create annotator" submitting={formState.isSubmitting} onCancel={cancel} testId="annotator-save" mt="sm" />
      </Stack>
    </form>
  )
}

const column = createColumnHelper<typeof recordTableFeatures, AnnotatorRecord>()
const describeLabel = (label: Record<string, unknown>) => {
  switch (label['type']) {
    case 'integer':
    case 'number':
      return `${String(label['name'])} ${String(label['min'])}–${String(label['max'])}`
    case 'category':
      return `${String(label['name'])} (${Array.isArray(label['options']) ? label['options'].length : 0} categories)`
    default:
      return String(label['name'])
  }
}
const columns = [
  column.accessor('name', {
    header: 'Name',
    cell: (info) => <RecordNameCell name={info.getValue()} record={info.row.original} />
  }),
  column.accessor((annotator) => (annotator.labels ?? []).map(describeLabel).join(', '), {
    id: 'labels',
    header: 'Labels',
    meta: { wrap: true },
    cell: (info) => (
      <Group gap={4}>
        {(info.row.original.labels ?? []).map((label) => (
          <Badge key={String(label['name'])} variant="light" size="sm" tt="none">
            {describeLabel(label)}
          </Badge>
        ))}
      </Group>
    )
  }),
  column.accessor((annotator) => annotator.mode ?? 'structured', { id: 'mode', header: 'Format' }),
  column.accessor((annotator) => (annotator.persona ? String(annotator.persona['username'] ?? '') : ''), { id: 'persona', header: 'Persona' })
]

export function AnnotatorsPage() {
  const personas = useRecordList<PersonaChoice>('persona')
  const instructions = useRecordList<InstructionChoice>('instruction')
  const annotatorInstructions = (instructions.items ?? []).filter((instruction) => instruction.kind === 'annotator')
  return (
    <LibraryCollection<AnnotatorRecord>
      kind="annotator"
      noun="annotator"
      title="Annotators"
      description="Annotator specs: who rates comments, on which labels, with how much context."
      columns={columns}
      nameOf={(annotator) => annotator.name || annotator.id}
      drawerSize="xl"
      editor={(props) => <AnnotatorForm key={props.record?.id ?? 'new'} {...props} personas={personas.items ?? []} instructions={annotatorInstructions} />}
      emptyText="An annotator spec says what an LLM (or a person) rates on each comment: a toxicity score from 1 to 5, a stance category, a rationale. Build one with the label builder."
    />
  )
}
