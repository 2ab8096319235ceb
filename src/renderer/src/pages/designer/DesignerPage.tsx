import { zodResolver } from '@hookform/resolvers/zod'
import { Alert, Anchor, Button, Checkbox, Grid, Group, Kbd, MultiSelect, NumberInput, Paper, SegmentedControl, Select, SimpleGrid, Stack, Switch, TagsInput, Text, Textarea, TextInput, Title, Tooltip } from '@mantine/core'
import { useDebouncedValue, useHotkeys } from '@mantine/hooks'
import { useEffect, useMemo, useState, type ReactNode } from 'react'
import { Controller, useForm, useWatch, type Path } from 'react-hook-form'
import { useLocation } from 'wouter'
import { ApiError, type DesignPreview } from '../../../../shared/index.js'
import { applyApiIssues } from '../../components/apiIssues.js'
import { EmptyState } from '../../components/EmptyState.js'
import { notifyError, notifySuccess } from '../../components/notify.js'
import { PageHeader } from '../../components/PageHeader.js'
import { newRecordId } from '../../components/recordIds.js'
import { useRecordList } from '../../components/useRecordList.js'
import { useHost } from '../../hostContext.js'
import {
  DEFAULT_DESIGN_FORM,
  DesignFormSchema,
  designToForm,
  formToDesign,
  MODERATOR_POLICY_KINDS,
  PROMPT_MODE_KINDS,
  PROMPT_MODE_LABELS,
  TURN_POLICY_KINDS,
  TURN_POLICY_LABELS,
  type DesignFormValues,
  type DesignRecord
} from './designForm.js'
import { DesignPreviewPanel } from './DesignPreviewPanel.js'
import { SeedSourceSection } from './SeedSourceSection.js'

interface Named {
  id: string
  [field: string]: unknown
}

const label = (record: Named, field: string) => (typeof record[field] === 'string' && record[field] !== '' ? (record[field] as string) : record.id)

/** Maps a path of core's design (`factors.personas.pool`) to the form field it came from. */
function formFieldOf(path: (string | number)[]): Path<DesignFormValues> | null {
  const key = path.slice(0, 3).join('.')
  const map: Record<string, Path<DesignFormValues>> = {
    name: 'name',
    seed: 'seed',
    replicates: 'replicates',
    'factors.personas.pool': 'personaPool',
    'factors.personas.users_per_discussion': 'usersPerDiscussion',
    'factors.topics': 'topics',
    'factors.user_instructions': 'userInstructions',
    'factors.moderator_instructions': 'moderatorInstructions',
    'factors.models': 'models',
    'discussion.conv_len': 'convLen',
    'discussion.history_ctx_len': 'historyLength',
    'discussion.max_tokens': 'maxTokens',
    'factors.seed_source': 'seedSource.corpusId'
  }
  for (const [prefix, field] of Object.entries(map)) if (key.startsWith(prefix)) return field
  return null
}

function Section({ title, children, description }: { title: string; children: ReactNode; description?: string }) {
  return (
    <Paper withBorder p="md">
      <Title order={4} size="h5" mb={description === undefined ? 'sm' : 2}>
        {title}
      </Title>
      {description !== undefined && (
        <Text size="xs" c="dimmed" mb="sm">
          {description}
        </Text>
      )}
      <Stack gap="sm">{children}</Stack>
    </Paper>
  )
}

/**
 * The experiment designer: choose each factor's levels, see the design expanded by the host
 * (`designs.preview`: counts, token and time estimate, the discussions), save it, and launch it.
 */
export function DesignerPage() {
  const host = useHost()
  const [, navigate] = useLocation()
  const personas = useRecordList<Named>('persona')
  const topics = useRecordList<Named>('topic')
  const instructions = useRecordList<Named>('instruction')
  const designs = useRecordList<DesignRecord>('design')
  const [designId, setDesignId] = useState<string | null>(null)
  const [lossy, setLossy] = useState<string[]>([])
  const [models, setModels] = useState<string[]>([])
  const [concurrency, setConcurrency] = useState(1)
  const [tokensPerSecond, setTokensPerSecond] = useState<number>(20)
  const [preview, setPreview] = useState<DesignPreview | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [previewing, setPreviewing] = useState(false)
  const [launching, setLaunching] = useState(false)

  const form = useForm<DesignFormValues>({ resolver: zodResolver(DesignFormSchema), defaultValues: DEFAULT_DESIGN_FORM, mode: 'onSubmit' })
  const { control, register, handleSubmit, formState, setError, reset, setValue, getValues } = form
  const errors = formState.errors
  const values = useWatch({ control }) as DesignFormValues
  const [settled] = useDebouncedValue(values, 400)

  useEffect(() => {
    void host.api['models.list']({}).then(
      (listing) => setModels(listing.models.filter((model) => model.error === null).map((model) => model.fileName)),
      () => setModels([])
    )
    void host.api['settings.get']({}).then(
      (settings) => {
        setConcurrency(settings.concurrency)
        if (settings.defaultModel !== null && getValues('models').length === 0) setValue('models', [settings.defaultModel])
      },
      () => undefined
    )
  }, [host, getValues, setValue])

  // The preview follows the form: whenever what is filled in makes a valid design, the host expands it.
  useEffect(() => {
    const parsed = DesignFormSchema.safeParse(settled)
    if (!parsed.success) {
      setPreview(null)
      setProblem(`To preview, complete the design: ${parsed.error.issues[0]?.message ?? 'some fields are missing'}.`)
      return
    }
    let current = true
    setPreviewing(true)
    host.api['designs.preview']({ design: formToDesign(parsed.data, designId ?? 'preview'), limit: 50, tokensPerSecond })
      .then((result) => {
        if (!current) return
        setPreview(result)
        setProblem(null)
      })
      .catch((error: unknown) => {
        if (!current) return
        setPreview(null)
        setProblem(error instanceof Error ? error.message : String(error))
      })
      .finally(() => current && setPreviewing(false))
    return () => {
      current = false
    }
  }, [host, settled, designId, tokensPerSecond])

  const nameOf = useMemo(() => {
    const names = new Map<string, string>()
    for (const persona of personas.items ?? []) names.set(persona.id, label(persona, 'username'))
    for (const topic of topics.items ?? []) names.set(topic.id, label(topic, 'title'))
    for (const instruction of instructions.items ?? []) names.set(instruction.id, label(instruction, 'name'))
    return (id: string) => names.get(id) ?? id
  }, [personas.items, topics.items, instructions.items])
  const personaOptions = useMemo(() => (personas.items ?? []).map((persona) => ({ value: persona.id, label: label(persona, 'username') })), [personas.items])
  const topicOptions = useMemo(() => (topics.items ?? []).map((topic) => ({ value: topic.id, label: label(topic, 'title') })), [topics.items])
  const instructionOptions = (kind: string) =>
    (instructions.items ?? []).filter((instruction) => instruction['kind'] === kind).map((instruction) => ({ value: instruction.id, label: label(instruction, 'name') }))

  const save = async (form: DesignFormValues): Promise<string | null> => {
    const id = designId ?? newRecordId(form.name, (designs.items ?? []).map((design) => design.id), 'design')
    try {
      await host.api['designs.put']({ record: formToDesign(form, id) })
      setDesignId(id)
      return id
    } catch (error) {
      if (!applyApiIssues(error, setError, formFieldOf)) notifyError('Could not save the design', error)
      return null
    }
  }

  const onSave = handleSubmit(async (form) => {
    const id = await save(form)
    if (id !== null) notifySuccess('Design saved', `${form.name} (${id})`)
  })

  const onLaunch = handleSubmit(async (form) => {
    setLaunching(true)
    try {
      const id = await save(form)
      if (id === null) return
      const started = await host.api['runs.start']({ designId: id, concurrency })
      notifySuccess('Run started', `${started.discussionIds.length} discussions in run ${started.runId}`)
      navigate(`/runs/${encodeURIComponent(started.runId)}`)
    } catch (error) {
      notifyError(
        error instanceof ApiError && error.code === 'unavailable' ? 'No model to run on: the design is saved; load a model, then launch' : 'Could not start the run',
        error
      )
    } finally {
      setLaunching(false)
    }
  })

  useHotkeys([
    ['mod+S', () => void onSave()],
    ['mod+Enter', () => void onLaunch()]
  ])

  const openDesign = (id: string | null) => {
    const design = (designs.items ?? []).find((candidate) => candidate.id === id)
    if (design === undefined) {
      setDesignId(null)
      setLossy([])
      reset(DEFAULT_DESIGN_FORM)
      return
    }
    const { form: loaded, lossy: dropped } = designToForm(design)
    setDesignId(design.id)
    setLossy(dropped)
    reset(loaded)
  }

  const libraryEmpty = personas.items !== null && topics.items !== null && instructions.items !== null && (personaOptions.length === 0 || topicOptions.length === 0 || instructionOptions('user').length === 0)

  const multi = (name: 'personaPool' | 'topics' | 'userInstructions' | 'moderatorInstructions', title: string, data: { value: string; label: string }[], testId: string) => (
    <Controller
      control={control}
      name={name}
      render={({ field }) => (
        <MultiSelect
          label={
            <Group gap={6} component="span">
              {title}
              <Anchor component="button" type="button" size="xs" onClick={() => field.onChange(data.map((option) => option.value))}>
                all
              </Anchor>
              <Anchor component="button" type="button" size="xs" onClick={() => field.onChange([])}>
                none
              </Anchor>
            </Group>
          }
          data={data}
          value={field.value}
          onChange={field.onChange}
          onBlur={field.onBlur}
          searchable
          hidePickedOptions
          maxDropdownHeight={260}
          error={errors[name]?.message}
          data-testid={testId}
        />
      )}
    />
  )

  const numberField = (name: Path<DesignFormValues>, title: string, props: { min?: number; max?: number; step?: number; description?: string; decimal?: boolean; nullable?: boolean } = {}) => (
    <Controller
      control={control}
      name={name}
      render={({ field }) => (
        <NumberInput
          label={title}
          description={props.description}
          value={(field.value as number | null) ?? ''}
          onChange={(value) => field.onChange(value === '' ? (props.nullable ? null : Number.NaN) : Number(value))}
          onBlur={field.onBlur}
          min={props.min}
          max={props.max}
          step={props.step}
          allowDecimal={props.decimal ?? false}
          error={(errors as Record<string, { message?: string } | undefined>)[name]?.message}
          data-testid={`design-${name}`}
        />
      )}
    />
  )

  return (
    <>
      <PageHeader
        title="Experiment designer"
        description="Choose the factors; every combination (or a seeded sample of them) becomes discussions."
        actions={
          <>
            <Select
              placeholder="Open a saved design"
              aria-label="Open a saved design"
              data={(designs.items ?? []).map((design) => ({ value: design.id, label: design.name || design.id }))}
              value={designId}
              onChange={openDesign}
              clearable
              w={220}
              data-testid="design-open"
            />
            <Tooltip label={<>Save <Kbd size="xs">Ctrl/⌘ S</Kbd></>}>
              <Button variant="default" onClick={() => void onSave()} data-testid="design-save">
                Save
              </Button>
            </Tooltip>
            <Tooltip label={<>Save and launch <Kbd size="xs">Ctrl/⌘ Enter</Kbd></>}>
              <Button onClick={() => void onLaunch()} loading={launching} data-testid="design-launch">
                Launch
              </Button>
            </Tooltip>
          </>
        }
      />
      {libraryEmpty && (
        <EmptyState
          title="The library needs a few records first"
          action={
            <Group>
              <Button component="a" href="#/library/personas" variant="default">
                Personas
              </Button>
              <Button component="a" href="#/library/topics" variant="default">
                Topics
              </Button>
              <Button component="a" href="#/library/instructions" variant="default">
                Instructions
              </Button>
            </Group>
          }
        >
          A design draws from personas, topics and user instructions. Add at least one of each (or import an SDF folder), then come back.
        </EmptyState>
      )}
      {lossy.length > 0 && (
        <Alert color="yellow" mb="md" title="Parts of this design cannot be edited here">
          It uses {lossy.join(', ')}. Saving from the designer replaces them with what the form shows.
        </Alert>
      )}
      <form onSubmit={(event) => event.preventDefault()} noValidate aria-label="Experiment design" data-testid="design-form">
        <Grid gap="md">
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <Stack gap="md">
              <Section title="Design">
                <TextInput label="Name" withAsterisk {...register('name')} error={errors.name?.message} data-testid="design-name" />
                <Textarea label="Description" autosize minRows={1} {...register('description')} />
              </Section>
              <Section title="Participants" description="Each discussion draws its users from the pool without replacement; personas are sampled, never crossed.">
                {multi('personaPool', 'Persona pool', personaOptions, 'design-personas')}
                {numberField('usersPerDiscussion', 'Users per discussion', { min: 1 })}
              </Section>
              <Section title="Crossed factors" description="Each level multiplies the number of combinations.">
                {multi('topics', 'Topics', topicOptions, 'design-topics')}
                {multi('userInstructions', 'User instructions', instructionOptions('user'), 'design-user-instructions')}
                {multi('moderatorInstructions', 'Moderator instructions', instructionOptions('moderator'), 'design-moderator-instructions')}
                <Controller
                  control={control}
                  name="includeNoModerator"
                  render={({ field }) => (
                    <Switch label="Also a level with no moderator" checked={field.value} onChange={(event) => field.onChange(event.currentTarget.checked)} data-testid="design-no-moderator" />
                  )}
                />
                <Controller
                  control={control}
                  name="turnPolicies"
                  render={({ field }) => (
                    <Checkbox.Group label="Turn policies" value={field.value} onChange={field.onChange} error={errors.turnPolicies?.message}>
                      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={6} mt={6}>
                        {TURN_POLICY_KINDS.map((kind) => (
                          <Checkbox key={kind} value={kind} label={TURN_POLICY_LABELS[kind]} />
                        ))}
                      </SimpleGrid>
                    </Checkbox.Group>
                  )}
                />
                {values.turnPolicies?.includes('respond') && numberField('pRespond', 'p_respond (respond policy)', { min: 0, max: 1, step: 0.1, decimal: true })}
                <Controller
                  control={control}
                  name="promptModes"
                  render={({ field }) => (
                    <Checkbox.Group label="Prompt modes" value={field.value} onChange={field.onChange} error={errors.promptModes?.message}>
                      <Group gap="md" mt={6}>
                        {PROMPT_MODE_KINDS.map((kind) => (
                          <Checkbox key={kind} value={kind} label={PROMPT_MODE_LABELS[kind]} />
                        ))}
                      </Group>
                    </Checkbox.Group>
                  )}
                />
              </Section>
              <Section
                title="Seed comments"
                description="The comments every discussion opens with: the topic's own seed comments, or consecutive comments of real threads sampled from a corpus with the design's seed."
              >
                <SeedSourceSection control={control} errors={errors.seedSource} />
              </Section>
              <Section title="Model and sampling">
                <Controller
                  control={control}
                  name="models"
                  render={({ field }) => (
                    <TagsInput
                      label="Models"
                      description={models.length === 0 ? 'No GGUF files in the models folder; type a file name or a server model id' : 'A GGUF file from the models folder, or a server model id; each is a level'}
                      data={models}
                      value={field.value}
                      onChange={field.onChange}
                      onBlur={field.onBlur}
                      error={errors.models?.message}
                      data-testid="design-models"
                    />
                  )}
                />
                <SimpleGrid cols={2} spacing="sm">
                  {numberField('temperature', 'Temperature', { min: 0, max: 5, step: 0.1, decimal: true, nullable: true, description: "Empty: the model's default" })}
                  {numberField('topP', 'Top p', { min: 0, max: 1, step: 0.05, decimal: true, nullable: true, description: "Empty: the model's default" })}
                </SimpleGrid>
              </Section>
              <Section title="Discussions">
                <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
                  {numberField('convLen', 'User turns', { min: 1 })}
                  {numberField('historyLength', 'History window', { min: 0, description: 'Comments each speaker sees' })}
                  {numberField('maxTokens', 'Tokens per comment', { min: 1 })}
                </SimpleGrid>
                <Controller
                  control={control}
                  name="moderatorPolicy"
                  render={({ field }) => (
                    <Select
                      label="When the moderator speaks"
                      data={MODERATOR_POLICY_KINDS.map((kind) => ({
                        value: kind,
                        label: { 'after-every-comment': 'After every user comment (SDF v0)', 'when-addressed': 'Only when addressed', probability: 'With a probability', 'llm-decided': 'The model decides' }[kind]
                      }))}
                      value={field.value}
                      onChange={(value) => field.onChange(value ?? field.value)}
                      allowDeselect={false}
                    />
                  )}
                />
                {values.moderatorPolicy === 'probability' && numberField('moderatorProbability', 'Probability q', { min: 0, max: 1, step: 0.1, decimal: true })}
              </Section>
              <Section title="Size and randomness">
                <Controller
                  control={control}
                  name="sampling"
                  render={({ field }) => (
                    <SegmentedControl
                      value={field.value}
                      onChange={field.onChange}
                      data={[
                        { value: 'cross', label: 'Full crossing' },
                        { value: 'sample', label: 'Sample combinations' }
                      ]}
                      aria-label="Crossing or sampling"
                      data-testid="design-sampling"
                    />
                  )}
                />
                <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
                  {values.sampling === 'sample' && numberField('sampleCount', 'Combinations', { min: 1 })}
                  {numberField('replicates', 'Replicates', { min: 1 })}
                  {numberField('seed', 'Seed', { min: 0, description: 'Same seed, same design' })}
                </SimpleGrid>
              </Section>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <Stack gap="sm" style={{ position: 'sticky', top: 64 }}>
              <DesignPreviewPanel preview={preview} problem={problem} loading={previewing} nameOf={nameOf} />
              <Group gap="xs" align="flex-end">
                <NumberInput
                  label="Estimate at tok/s"
                  size="xs"
                  w={140}
                  min={0.1}
                  decimalScale={1}
                  value={tokensPerSecond}
                  onChange={(value) => typeof value === 'number' && value > 0 && setTokensPerSecond(value)}
                />
                <Text size="xs" c="dimmed" pb={6}>
                  Launch runs {concurrency} discussion{concurrency === 1 ? '' : 's'} at a time (Settings).
                </Text>
              </Group>
            </Stack>
          </Grid.Col>
        </Grid>
      </form>
    </>
  )
}
