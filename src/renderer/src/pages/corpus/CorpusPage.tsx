import { Alert, Anchor, Badge, Button, FileButton, Paper, Stack, Table, Text } from '@mantine/core'
import { useCallback, useEffect, useState } from 'react'
import { Link, useLocation } from 'wouter'
import type { CorpusSummary } from '../../../../shared/index.js'
import { EmptyState } from '../../components/EmptyState.js'
import { notifyError, notifySuccess } from '../../components/notify.js'
import { PageHeader } from '../../components/PageHeader.js'
import { useHost } from '../../hostContext.js'
import { CorpusImportModal, readPickedCorpusFile, type CorpusImportResult, type PickedCorpusFile } from './CorpusImportModal.js'
import { CorpusImportReportView } from './CorpusImportReportView.js'
import { CorpusThreadList } from './CorpusThreadList.js'
import { CorpusThreadView } from './CorpusThreadView.js'

/** `/corpus` (the corpora and the import), `/corpus/<id>` (its threads), `/corpus/<id>/<conversation>` (one thread). */
export function CorpusPage() {
  const [location] = useLocation()
  const parts = location.split('/').filter((part) => part !== '').map(decodeURIComponent)
  if (parts[1] !== undefined && parts[2] !== undefined) return <CorpusThreadView corpusId={parts[1]} conversationId={parts.slice(2).join('/')} />
  if (parts[1] !== undefined) return <CorpusThreadList corpusId={parts[1]} />
  return <CorpusOverview />
}

function useCorpora() {
  const host = useHost()
  const [corpora, setCorpora] = useState<CorpusSummary[] | null>(null)
  const [problems, setProblems] = useState<{ file: string; message: string }[]>([])
  const reload = useCallback(
    () =>
      host.api['corpus.list']({}).then(
        (listing) => {
          setCorpora(listing.items)
          setProblems(listing.problems)
        },
        (error: unknown) => {
          setCorpora([])
          notifyError('Could not list the corpora', error)
        }
      ),
    [host]
  )
  useEffect(() => {
    void reload()
  }, [reload])
  return { corpora, problems, reload }
}

function CorpusOverview() {
  const [, navigate] = useLocation()
  const { corpora, problems, reload } = useCorpora()
  const [picked, setPicked] = useState<PickedCorpusFile | null>(null)
  const [result, setResult] = useState<CorpusImportResult | null>(null)

  const pick = async (file: File | null) => {
    if (file === null) return
    try {
      setPicked(await readPickedCorpusFile(file))
    } catch (error) {
      notifyError(`Could not read ${file.name}`, error)
    }
  }

  const importButton = (testId: string) => (
    <FileButton onChange={(file) => void pick(file)} accept=".csv,.jsonl,.ndjson,text/csv,application/jsonl">
      {(props) => (
        <Button {...props} data-testid={testId}>
          Import a thread file
        </Button>
      )}
    </FileButton>
  )

  return (
    <>
      <PageHeader
        title="Corpora"
        description="Real comment threads (CSV or JSONL) to browse, to seed discussions with in the designer, and to annotate and chart beside synthetic ones."
        actions={importButton('corpus-import')}
      />
      <CorpusImportModal
        file={picked}
        existing={(corpora ?? []).map((corpus) => corpus.id)}
        onClose={() => setPicked(null)}
        onImported={(imported) => {
          setPicked(null)
          setResult(imported)
          notifySuccess(
            'Corpus imported',
            `${imported.report.comments} comments in ${imported.report.conversations} threads; ${imported.report.rejected_count} row${imported.report.rejected_count === 1 ? '' : 's'} rejected`
          )
          void reload()
        }}
      />
      {result !== null && <CorpusImportReportView result={result} onOpen={() => navigate(`/corpus/${encodeURIComponent(result.corpus.id)}`)} onDismiss={() => setResult(null)} />}
      {problems.length > 0 && (
        <Alert color="yellow" mb="md" title="Some corpora could not be read">
          {problems.map((problem) => (
            <Text key={problem.file} size="sm">
              {problem.file}: {problem.message}
            </Text>
          ))}
        </Alert>
      )}
      {corpora !== null && corpora.length === 0 && (
        <EmptyState title="No corpus yet" action={importButton('corpus-import-empty')}>
          Import a CSV or JSONL file of comment threads, one comment a row, such as the Conversations Gone Awry file (conv_id, message_id, reply_to, user, escalated, text). You choose which column
          holds what.
        </EmptyState>
      )}
      {corpora !== null && corpora.length > 0 && (
        <Paper withBorder>
          <Table highlightOnHover data-testid="corpus-table" aria-label="Corpora">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>File</Table.Th>
                <Table.Th ta="right">Threads</Table.Th>
                <Table.Th ta="right">Comments</Table.Th>
                <Table.Th>Flag</Table.Th>
                <Table.Th ta="right">Rejected</Table.Th>
                <Table.Th>Imported</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {corpora.map((corpus) => (
                <Table.Tr key={corpus.id} data-testid="corpus-row" data-id={corpus.id} style={{ cursor: 'pointer' }} onClick={() => navigate(`/corpus/${encodeURIComponent(corpus.id)}`)}>
                  <Table.Td>
                    <Anchor component={Link} href={`/corpus/${encodeURIComponent(corpus.id)}`}>
                      {corpus.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      {corpus.fileName} ({corpus.format.toUpperCase()})
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{corpus.counts.conversations}</Table.Td>
                  <Table.Td ta="right">{corpus.counts.comments}</Table.Td>
                  <Table.Td>
                    {corpus.columns.flag === null ? (
                      <Text size="sm" c="dimmed">
                        none
                      </Text>
                    ) : (
                      <Badge variant="light" tt="none">
                        {corpus.columns.flag}: {corpus.counts.flagged ?? 0}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">{corpus.rejected}</Table.Td>
                  <Table.Td>{new Date(corpus.importedAt).toLocaleString()}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      <Stack gap={4} mt="md">
        <Text size="xs" c="dimmed">
          To seed discussions with real comments, choose &quot;Sampled from a corpus&quot; under Seed comments in the <Anchor href="#/designer" size="xs">designer</Anchor>.
        </Text>
      </Stack>
    </>
  )
}
