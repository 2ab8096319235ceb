import { Alert, List } from '@mantine/core'

/** Files of a collection that hold no valid record: shown, never hidden, with what is wrong. */
export function ProblemsAlert({ problems, what }: { problems: readonly { file: string; message: string }[]; what: string }) {
  if (problems.length === 0) return null
  return (
    <Alert color="yellow" title={`${problems.length} ${what} file${problems.length === 1 ? '' : 's'} could not be read`} mb="md" data-testid="collection-problems">
      <List size="sm">
        {problems.slice(0, 20).map((problem) => (
          <List.Item key={problem.file}>
            <code>{problem.file}</code>: {problem.message}
          </List.Item>
        ))}
      </List>
    </Alert>
  )
}
