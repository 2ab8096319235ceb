import { zodResolver } from '@hookform/resolvers/zod'
import { ActionIcon, Button, Group, SimpleGrid, Stack, TagsInput, Text, Textarea, TextInput } from '@mantine/core'
import { Controller, useFieldArray, useForm, type Path } from 'react-hook-form'
import { applyApiIssues } from '../../components/apiIssues.js'
import { FormActions } from '../../components/FormActions.js'
import { notifyError } from '../../components/notify.js'
import { formToPersona, PERSONA_TEXT_FIELDS, personaFieldOf, PersonaFormSchema, personaToForm, type PersonaFormValues } from './personaForm.js'
import type { PersonaRecord } from './personaVariations.js'
import { CloseIcon } from '../../components/icons.js'

/**
 * Creates or edits a persona. The form checks what it can (zod, field by field); whatever core's
 * schema still refuses on the host comes back as field errors too.
 */
export function PersonaForm({
  persona,
  newId,
  onSave,
  onCancel
}: {
  persona: PersonaRecord | null
  /** The id a new persona gets from its username. */
  newId: (username: string) => string
  onSave: (record: PersonaRecord) => Promise<unknown>
  onCancel: () => void
}) {
  const form = useForm<PersonaFormValues>({
    resolver: zodResolver(PersonaFormSchema),
    defaultValues: personaToForm(persona),
    mode: 'onSubmit'
  })
  const { register, control, handleSubmit, formState, setError, getValues } = form
  const extras = useFieldArray({ control, name: 'extra_attributes' })
  const errors = formState.errors

  const submit = handleSubmit(async (values) => {
    const id = persona?.id ?? newId(values.username)
    try {
      await onSave(formToPersona(values, id, persona))
    } catch (error) {
      const placed = applyApiIssues(error, setError, (path) => personaFieldOf(path, getValues()) as Path<PersonaFormValues> | null)
      if (!placed) notifyError('Could not save the persona', error)
    }
  })

  return (
    <form onSubmit={submit} noValidate data-testid="persona-form" aria-label="Persona">
      <Stack gap="sm">
        {persona !== null && (
          <Text size="xs" c="dimmed">
            id <code>{persona.id}</code>
          </Text>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput label="Username" withAsterisk {...register('username')} error={errors.username?.message} data-testid="persona-username" data-autofocus />
          <TextInput label="Age" description="Years (34) or a bracket (18-24)" {...register('age')} error={errors.age?.message} data-testid="persona-age" />
          {PERSONA_TEXT_FIELDS.map((field) => (
            <TextInput key={field.name} label={field.label} {...register(field.name)} error={errors[field.name]?.message} data-testid={`persona-${field.name}`} />
          ))}
        </SimpleGrid>
        <Controller
          control={control}
          name="personality_characteristics"
          render={({ field, fieldState }) => (
            <TagsInput
              label="Personality characteristics"
              description="Press Enter after each"
              value={field.value}
              onChange={field.onChange}
              onBlur={field.onBlur}
              error={fieldState.error?.message}
              data-testid="persona-traits"
            />
          )}
        />
        <Textarea
          label="Special instructions"
          autosize
          minRows={2}
          maxRows={8}
          {...register('special_instructions')}
          error={errors.special_instructions?.message}
          data-testid="persona-special_instructions"
        />
        <Stack gap={6}>
          <Text size="sm" fw={500}>
            Other attributes
          </Text>
          {extras.fields.length === 0 && (
            <Text size="xs" c="dimmed">
              Attributes outside SDF&apos;s set, such as political_leaning, that your study varies.
            </Text>
          )}
          {extras.fields.map((item, index) => (
            <Group key={item.id} gap="xs" align="flex-start" wrap="nowrap">
              <TextInput
                placeholder="name"
                aria-label={`Attribute ${index + 1} name`}
                {...register(`extra_attributes.${index}.key`)}
                error={errors.extra_attributes?.[index]?.key?.message}
                style={{ flex: 1 }}
              />
              <TextInput
                placeholder="value"
                aria-label={`Attribute ${index + 1} value`}
                {...register(`extra_attributes.${index}.value`)}
                error={errors.extra_attributes?.[index]?.value?.message}
                style={{ flex: 2 }}
              />
              <ActionIcon variant="subtle" color="red" mt={6} aria-label={`Remove attribute ${index + 1}`} onClick={() => extras.remove(index)}>
                <CloseIcon />
              </ActionIcon>
            </Group>
          ))}
          <Button variant="subtle" size="xs" w="fit-content" onClick={() => extras.append({ key: '', value: '' })} data-testid="persona-add-attribute">
            + Add attribute
          </Button>
        </Stack>
        <FormActions isNew={persona === null} createLabel="Create persona" submitting={formState.isSubmitting} onCancel={onCancel} testId="persona-save" mt="sm" />
      </Stack>
    </form>
  )
}
