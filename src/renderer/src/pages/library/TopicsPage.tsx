import { zodResolver } from '@hookform/resolvers/zod'
import { ActionIcon, Button, Group, Stack, Text, Textarea, TextInput } from '@mantine/core'
import { createColumnHelper } from '@tanstack/react-table'
import { useFieldArray, useForm, type Path } from 'react-hook-form'
import { z } from 'zod'
import { applyApiIssues, formFieldPath } from '../../components/apiIssues.js'
import { RecordNameCell } from '../../components/ExampleBadge.js'
import { FormActions } from '../../components/FormActions.js'
import { LibraryCollection, type EditorProps } from '../../components/LibraryCollection.js'
import { notifyError } from '../../components/notify.js'
import type { recordTableFeatures } from '../../components/RecordTable.js'
import { CloseIcon } from '../../components/icons.js'

interface TopicRecord {
  id: string
  title: string
  text: string
  seed_comments?: { author: string | null; text: string }[]
  example?: boolean
  [field: string]: unknown
}

const TopicFormSchema = z.object({
  title: z.string().trim().min(1, 'Give the topic a title, so you can find it in designs and charts'),
  text: z.string().refine((text) => text.trim() !== '', 'Write the post or statement the discussion is about'),
  seed_comments: z.array(
    z.object({
      author: z.string(),
      text: z.string().refine((text) => text.trim() !== '', 'A seed comment needs text (or remove it)')
    })
  )
})
type TopicFormValues = z.infer<typeof TopicFormSchema>

function TopicForm({ record, newId, save, cancel }: EditorProps<TopicRecord>) {
  const { register, control, handleSubmit, formState, setError } = useForm<TopicFormValues>({
    resolver: zodResolver(TopicFormSchema),
    mode: 'onSubmit',
    defaultValues: {
      title: record?.title ?? '',
      text: record?.text ?? '',
      seed_comments: (record?.seed_comments ?? []).map((seed) => ({ author: seed.author ?? '', text: seed.text }))
    }
  })
  const seeds = useFieldArray({ control, name: 'seed_comments' })
  const errors = formState.errors
  const submit = handleSubmit(async (values) => {
    // The text is kept verbatim (SDF never stripped topic files); only the title is trimmed.
    const stored: TopicRecord = {
      ...(record ?? {}),
      id: record?.id ?? newId(values.title),
      title: values.title.trim(),
      text: values.text,
      seed_comments: values.seed_comments.map((seed) => ({ author: seed.author.trim() === '' ? null : seed.author.trim(), text: seed.text }))
    }
    try {
      await save(stored)
    } catch (error) {
      if (!applyApiIssues(error, setError, (path) => formFieldPath(path) as Path<TopicFormValues>)) notifyError('Could not save the topic', error)
    }
  })
  return (
    <form onSubmit={submit} noValidate data-testid="topic-form" aria-label="Topic">
      <Stack gap="sm">
        <TextInput label="Title" withAsterisk {...register('title')} error={errors.title?.message} data-testid="topic-title" data-autofocus />
        <Textarea
          label="Text"
          description="The post or statement under discussion, used verbatim"
          withAsterisk
          autosize
          minRows={4}
          maxRows={14}
          {...register('text')}
          error={errors.text?.message}
          data-testid="topic-text"
        />
        <Text size="sm" fw={500}>
          Seed comments
        </Text>
        <Text size="xs" c="dimmed" mt={-8}>
          Comments that open the discussion before any agent speaks (SDF&apos;s seed opinions).
        </Text>
        {seeds.fields.map((item, index) => (
          <Group key={item.id} align="flex-start" gap="xs" wrap="nowrap">
            <TextInput placeholder="author (optional)" aria-label={`Seed ${index + 1} author`} w={150} {...register(`seed_comments.${index}.author`)} />
            <Textarea
              placeholder="comment"
              aria-label={`Seed ${index + 1} text`}
              autosize
              minRows={1}
              style={{ flex: 1 }}
              {...register(`seed_comments.${index}.text`)}
              error={errors.seed_comments?.[index]?.text?.message}
            />
            <ActionIcon variant="subtle" color="red" mt={6} aria-label={`Remove seed ${index + 1}`} onClick={() => seeds.remove(index)}>
              <CloseIcon />
            </ActionIcon>
          </Group>
        ))}
        <Button variant="subtle" size="xs" w="fit-content" onClick={() => seeds.append({ author: '', text: '' })} data-testid="topic-add-seed">
          + Add seed comment
        </Button>
        <FormActions isNew={record === null} createLabel="Create topic" submitting={formState.isSubmitting} onCancel={cancel} testId="topic-save" mt="sm" />
      </Stack>
    </form>
  )
}

const column = createColumnHelper<typeof recordTableFeatures, TopicRecord>()
const columns = [
  column.accessor('title', {
    header: 'Title',
    meta: { wrap: true },
    cell: (info) => <RecordNameCell name={info.getValue()} record={info.row.original} />
  }),
  column.accessor('text', {
    header: 'Text',
    meta: { wrap: true },
    cell: (info) => (
      <Text size="sm" lineClamp={2} maw={520}>
        {info.getValue()}
      </Text>
    )
  }),
  column.accessor((topic) => topic.seed_comments?.length ?? 0, { id: 'seeds', header: 'Seed comments' })
]

export function TopicsPage() {
  return (
    <LibraryCollection<TopicRecord>
      kind="topic"
      noun="topic"
      title="Topics"
      description="What discussions are about: the opening post, and any comments that open the thread."
      columns={columns}
      nameOf={(topic) => topic.title || topic.id}
      editor={(props) => <TopicForm key={props.record?.id ?? 'new'} {...props} />}
      importAccept=".txt,text/plain"
      importTextKind="topic"
      emptyText="A topic is the post a discussion starts from. Write one, or import SDF topic files (.txt) here or a whole SDF folder on the Import page."
    />
  )
}
