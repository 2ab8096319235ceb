import { Alert, Button, Checkbox, Group, List, Modal, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core'
import { useEffect, useState } from 'react'
import type { CorpusImportReport, CorpusSummary } from '../../../../shared/index.js'
import { ApiError } from '../../../../shared/index.js'
import { notifyError } from '../../components/notify.js'
import { useHost } from '../../hostContext.js'
import {
  bytesToBase64,
  choiceToMapping,
  CORPUS_FIELD_LABELS,
  CORPUS_FIELDS,
  corpusIdOf,
  corpusNameFromFile,
  guessCorpusMapping,
  mappingProblems,
  OPTIONAL_CORPUS_FIELDS,
  readCorpusColumns,
  type CorpusFormat,
  type CorpusMappingChoice
} from './corpusHeader.js'

/** A picked file, read once: its bytes (sent as they are) and the columns found at its start. */
export interface PickedCorpusFile {
  readonly name: string
  readonly bytes: Uint8Array
  readonly format: CorpusFormat
  readonly columns: string[]
}

/** Reads a picked file's bytes and its header; bytes that are not UTF-8 are left for the host to report. */
export async function readPickedCorpusFile(file: File): Promise<PickedCorpusFile> {
  const bytes = new Uint8Array(await file.arrayBuffer())
  // UTF-16 files (Excel's "Unicode text") announce themselves with a byte order mark; the host reads them so too.
  const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8'
  const head = new TextDecoder(encoding).decode(bytes.subarray(0, 256 * 1024))
  const { format, columns } = readCorpusColumns(file.name, head)
  return { name: file.name, bytes, format, columns }
}

export interface CorpusImportResult {
  corpus: CorpusSummary
  report: CorpusImportReport
  discussions: number
}

/**
 * The column-mapping dialog: the file's columns, the obvious one preselected for each field, the
 * corpus name, and whether to store threads as discussions too. Answers the import's report.
 */
export function CorpusImportModal({ file, existing, onClose, onImported }: { file: PickedCorpusFile | null; existing: readonly string[]; onClose: () => void; onImported: (result: CorpusImportResult) => void }) {
  const host = useHost()
  const [choice, setChoice] = useState<CorpusMappingChoice>(() => guessCorpusMapping([]))
  const [name, setName] = useState('')
  const [discussions, setDiscussions] = useState(false)
  const [replace, setReplace] = useState(false)
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<{ message: string; report: CorpusImportReport | null } | null>(null)

  useEffect(() => {
    if (file === null) return
    setChoice(guessCorpusMapping(file.columns))
    setName(corpusNameFromFile(file.name))
    setDiscussions(false)
    setReplace(false)
    setFailure(null)
  }, [file])

  const problems = mappingProblems(choice)
  const nameTaken = existing.includes(corpusIdOf(name.trim() === '' ? corpusNameFromFile(file?.name ?? '') : name))

  const submit = async () => {
    if (file === null || problems.length > 0) return
    setBusy(true)
    setFailure(null)
    try {
      const result = await host.api['corpus.import']({
        fileName: file.name,
        content: bytesToBase64(file.bytes),
        encoding: 'base64',
        name: name.trim() === '' ? undefined : name.trim(),
        format: file.format,
        mapping: choiceToMapping(choice),
        replace,
        discussions
      })
      onImported(result)
    } catch (error) {
      const details = error instanceof ApiError ? (error.details as { report?: CorpusImportReport } | undefined) : undefined
      setFailure({ message: error instanceof Error ? error.message : String(error), report: details?.report ?? null })
      notifyError('Could not import the corpus', error)
    } finally {
      setBusy(false)
    }
  }

  const options = (file?.columns ?? []).map((column) => ({ value: column, label: column }))

  return (
    <Modal opened={file !== null} onClose={onClose} title={`Import ${file?.name ?? ''}`} size="lg">
      {file !== null && (
        <Stack gap="sm" data-testid="corpus-mapping">
          <Text size="sm" c="dimmed">
            {file.format === 'csv' ? 'CSV' : 'JSONL'} file with {file.columns.length} column{file.columns.length === 1 ? '' : 's'}: {file.columns.join(', ') || 'none found'}. Choose which column holds each field; the
            obvious ones are chosen already.
          </Text>
          {file.columns.length === 0 && (
            <Alert color="red" title="No columns found">
              The file&apos;s first line names no columns. A CSV file needs a header row; a JSONL file needs one JSON object per line.
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            {CORPUS_FIELDS.map((field) => {
              const optional = OPTIONAL_CORPUS_FIELDS.includes(field)
              return (
                <Select
                  key={field}
                  label={CORPUS_FIELD_LABELS[field].label}
                  description={CORPUS_FIELD_LABELS[field].description}
                  withAsterisk={!optional}
                  placeholder={optional ? 'None' : 'Choose a column'}
                  data={options}
                  value={choice[field]}
                  onChange={(value) => setChoice((current) => ({ ...current, [field]: value }))}
                  clearable={optional}
                  allowDeselect={optional}
                  data-testid={`corpus-map-${field}`}
                />
              )
            })}
          </SimpleGrid>
          <TextInput label="Corpus name" value={name} onChange={(event) => setName(event.currentTarget.value)} data-testid="corpus-name" />
          {nameTaken && (
            <Checkbox label="A corpus with this name exists: replace it" checked={replace} onChange={(event) => setReplace(event.currentTarget.checked)} data-testid="corpus-replace" />
          )}
          <Checkbox
            label="Also store every thread as a discussion (source = human), to annotate and chart it beside synthetic ones"
            checked={discussions}
            onChange={(event) => setDiscussions(event.currentTarget.checked)}
            data-testid="corpus-as-discussions"
          />
          {problems.length > 0 && (
            <List size="sm" c="red" data-testid="corpus-mapping-problems">
              {problems.map((problem) => (
                <List.Item key={problem}>{problem}</List.Item>
              ))}
            </List>
          )}
          {failure !== null && (
            <Alert color="red" title="The import failed" data-testid="corpus-import-failure">
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {failure.message}
              </Text>
              {failure.report !== null && failure.report.rejected.length > 0 && (
                <List size="xs" mt="xs">
                  {failure.report.rejected.slice(0, 10).map((row) => (
                    <List.Item key={`${row.line}-${row.reason}`}>
                      line {row.line}: {row.reason}
                    </List.Item>
                  ))}
                </List>
              )}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button onClick={() => void submit()} loading={busy} disabled={problems.length > 0 || (nameTaken && !replace)} data-testid="corpus-import-submit">
              Import
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  )
}
