import { Badge, Group, Text, Tooltip } from '@mantine/core'

/** Starter-library records carry both marks (see core/starter): `example: true` and an `example-` id. */
export function isExample(record: { id: string; example?: unknown }): boolean {
  return record.example === true && record.id.startsWith('example-')
}

/** Marks a starter-library example, so users can tell it from their own records and remove it. */
export function ExampleBadge({ record }: { record: { id: string; example?: unknown } }) {
  if (!isExample(record)) return null
  return (
    <Tooltip label="From the starter library: an example you can edit or remove">
      <Badge size="xs" variant="light" color="grape" data-testid="example-badge" style={{ flexShrink: 0 }}>
        example
      </Badge>
    </Tooltip>
  )
}

/** A record's name in a library table, with its example badge. */
export function RecordNameCell({ name, record }: { name: string; record: { id: string; example?: unknown } }) {
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm" fw={500}>
        {name}
      </Text>
      <ExampleBadge record={record} />
    </Group>
  )
}
