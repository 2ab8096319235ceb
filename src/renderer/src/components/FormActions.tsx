import { Button, Group } from '@mantine/core'

/** Cancel and the submit button of a library form: "Create …" for a new record, else "Save changes". */
export function FormActions({
  isNew,
  createLabel,
  submitting,
  onCancel,
  testId,
  mt
}: {
  isNew: boolean
  createLabel: string
  submitting: boolean
  onCancel: () => void
  testId: string
  mt?: string
}) {
  return (
    <Group justify="flex-end" mt={mt}>
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" loading={submitting} data-testid={testId}>
        {isNew ? createLabel : 'Save changes'}
      </Button>
    </Group>
  )
}
