import { Stack, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'

/** What a page shows when it has nothing yet: what it is for and the next step to take. */
export function EmptyState({ title, children, action }: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <Stack align="center" gap="xs" py="xl" data-testid="empty-state">
      <Title order={3}>{title}</Title>
      <Text c="dimmed" ta="center" maw={520}>
        {children}
      </Text>
      {action}
    </Stack>
  )
}
