import { Alert, Button, CloseButton, Group, Paper, ScrollArea, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core'
import type { CorpusImportResult } from './CorpusImportModal.js'

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`

/** What an import did: rows read, threads and comments kept, rows rejected (line and reason), warnings. */
export function CorpusImportReportView({ result, onOpen, onDismiss }: { result: CorpusImportResult; onOpen: () => void; onDismiss: () => void }) {
  const { report, corpus, discussions } = result
  return (
    <Paper withBorder p="md" mb="md" data-testid="corpus-report">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4">
            Imported {corpus.name} from {report.file}
          </Title>
          <Group gap="xs">
            <Button size="xs" onClick={onOpen} data-testid="corpus-report-open">
              Browse its threads
            </Button>
            <CloseButton aria-label="Dismiss the report" onClick={onDismiss} />
          </Group>
        </Group>
        <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="xs">
          <Stat label="Rows read" value={report.rows_read} testId="corpus-report-rows" />
          <Stat label="Threads" value={report.conversations} testId="corpus-report-threads" />
          <Stat label="Comments imported" value={report.comments} testId="corpus-report-comments" />
          <Stat label="Rows rejected" value={report.rejected_count} testId="corpus-report-rejected-count" />
          <Stat label={corpus.columns.flag === null ? 'Flagged (no flag column)' : `Flagged (${corpus.columns.flag})`} value={report.flagged ?? 0} testId="corpus-report-flagged" />
        </SimpleGrid>
        {discussions > 0 && (
          <Text size="sm" data-testid="corpus-report-discussions">
            {plural(discussions, 'thread')} also stored as discussions (source = human): annotate them and chart them on the Annotation and Analysis pages.
          </Text>
        )}
        {report.empty_rows > 0 && (
          <Text size="sm" c="dimmed">
            {plural(report.empty_rows, 'empty row')} passed over.
          </Text>
        )}
        {report.rejected_count > 0 && (
          <Alert color="orange" title={`${plural(report.rejected_count, 'row was', 'rows were')} rejected`} p="sm">
            <ScrollArea.Autosize mah={240} type="auto">
              <Table fz="sm" data-testid="corpus-report-rejections" aria-label="Rejected rows">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={70}>Line</Table.Th>
                    <Table.Th>Why</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {report.rejected.map((row) => (
                    <Table.Tr key={`${row.line}-${row.reason}`}>
                      <Table.Td>{row.line}</Table.Td>
                      <Table.Td>{row.reason}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
            {report.rejected_count > report.rejected.length && (
              <Text size="xs" mt={4}>
                The first {report.rejected.length} are listed.
              </Text>
            )}
          </Alert>
        )}
        {report.warning_count > 0 && (
          <Alert color="yellow" title={plural(report.warning_count, 'warning')} p="sm" data-testid="corpus-report-warnings">
            <ScrollArea.Autosize mah={160} type="auto">
              {report.warnings.map((warning, index) => (
                <Text key={index} size="sm">
                  {warning.line === null ? '' : `line ${warning.line}: `}
                  {warning.message}
                </Text>
              ))}
            </ScrollArea.Autosize>
          </Alert>
        )}
      </Stack>
    </Paper>
  )
}

function Stat({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg" data-testid={testId}>
        {value}
      </Text>
    </Stack>
  )
}
