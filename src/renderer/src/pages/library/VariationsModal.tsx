import { ActionIcon, Alert, Button, Group, Modal, Select, Stack, TagsInput, Text } from '@mantine/core'
import { useMemo, useState } from 'react'
import { generateVariations, MAX_VARIATIONS, variationCount, type PersonaRecord, type VariedField } from './personaVariations.js'
import { CloseIcon } from '../../components/icons.js'

const SDF_FIELDS = [
  'username',
  'age',
  'sex',
  'sexual_orientation',
  'demographic_group',
  'current_employment',
  'education_level',
  'special_instructions',
  'personality_characteristics',
  'intent'
]

/**
 * "Generate variations from a template": pick a persona, list values for the fields to vary, and get
 * one new persona per combination (a full crossing of the listed values).
 */
export function VariationsModal({
  opened,
  personas,
  initialTemplateId,
  onClose,
  onGenerate
}: {
  opened: boolean
  personas: readonly PersonaRecord[]
  initialTemplateId: string | null
  onClose: () => void
  onGenerate: (personas: PersonaRecord[]) => Promise<void>
}) {
  const [templateId, setTemplateId] = useState<string | null>(initialTemplateId)
  const [fields, setFields] = useState<VariedField[]>([{ field: 'age', values: [] }])
  const [busy, setBusy] = useState(false)
  const template = personas.find((persona) => persona.id === (templateId ?? initialTemplateId)) ?? null
  const fieldOptions = useMemo(() => {
    const extras = Object.keys(template?.extra_attributes ?? {}).map((key) => `extra_attributes.${key}`)
    return [...SDF_FIELDS, ...extras]
  }, [template])
  const count = variationCount(fields)
  const preview = useMemo(() => {
    if (template === null || count === 0 || count > MAX_VARIATIONS) return []
    return generateVariations(template, fields, personas.map((persona) => persona.id))
  }, [template, fields, count, personas])

  return (
    <Modal opened={opened} onClose={onClose} title="Generate variations from a template" size="lg" data-testid="variations-modal">
      <Stack gap="sm">
        <Select
          label="Template persona"
          placeholder="Pick a persona"
          searchable
          data={personas.map((persona) => ({ value: persona.id, label: `${persona.username} (${persona.id})` }))}
          value={template?.id ?? null}
          onChange={setTemplateId}
          data-testid="variations-template"
        />
        {fields.map((varied, index) => (
          <Group key={index} align="flex-end" wrap="nowrap" gap="xs">
            <Select
              label={index === 0 ? 'Field' : undefined}
              aria-label={`Varied field ${index + 1}`}
              data={fieldOptions}
              value={varied.field}
              onChange={(field) => setFields((old) => old.map((entry, at) => (at === index ? { ...entry, field: field ?? entry.field } : entry)))}
              w={220}
              searchable
            />
            <TagsInput
              label={index === 0 ? 'Values (Enter after each)' : undefined}
              aria-label={`Values of field ${index + 1}`}
              value={[...varied.values]}
              onChange={(values) => setFields((old) => old.map((entry, at) => (at === index ? { ...entry, values } : entry)))}
              style={{ flex: 1 }}
              data-testid={`variations-values-${index}`}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              mb={6}
              aria-label={`Stop varying field ${index + 1}`}
              onClick={() => setFields((old) => old.filter((_, at) => at !== index))}
            >
              <CloseIcon />
            </ActionIcon>
          </Group>
        ))}
        <Button variant="subtle" size="xs" w="fit-content" onClick={() => setFields((old) => [...old, { field: 'sex', values: [] }])}>
          + Vary another field
        </Button>
        {count > MAX_VARIATIONS && (
          <Alert color="red">
            {count} combinations is more than {MAX_VARIATIONS}. Vary fewer fields or list fewer values.
          </Alert>
        )}
        <Text size="sm" c="dimmed" data-testid="variations-count">
          {template === null
            ? 'Pick a template persona.'
            : count === 0
              ? 'List at least one value to vary.'
              : `${count} new persona${count === 1 ? '' : 's'}: ${preview
                  .slice(0, 4)
                  .map((persona) => persona.username)
                  .join(', ')}${count > 4 ? ', …' : ''}`}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            disabled={preview.length === 0}
            loading={busy}
            data-testid="variations-generate"
            onClick={async () => {
              setBusy(true)
              try {
                await onGenerate(preview)
                onClose()
              } finally {
                setBusy(false)
              }
            }}
          >
            Create {preview.length || ''} persona{preview.length === 1 ? '' : 's'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}
