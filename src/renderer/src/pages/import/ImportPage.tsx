import { Alert, Badge, Button, Group, Progress, ScrollArea, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core'
import { Dropzone } from '@mantine/dropzone'
import { useEffect, useRef, useState } from 'react'
import { Link } from 'wouter'
import type { ImportOutcome } from '../../../../shared/index.js'
import { describeOutcome } from '../../components/ImportFilesButton.js'
import { notifyError, notifySuccess } from '../../components/notify.js'
import { PageHeader } from '../../components/PageHeader.js'
import { importPickedFiles, type ImportProgress, type PickedFile } from '../../components/uploads.js'
import { useHost } from '../../hostContext.js'

type TextKind = 'topic' | 'user-instruction' | 'moderator-instruction' | 'annotator-instruction'

const COUNTED = ['personas', 'topics', 'instructions', 'discussions', 'comments', 'annotations'] as const
const WHERE: Partial<Record<(typeof COUNTED)[number], string>> = {
  personas: '/library/personas',
  topics: '/library/topics',
  instructions: '/library/instructions',
  discussions: '/transcripts'
}

/**
 * Brings SDF and SynDisco files into the workspace: files or whole folders, picked or dropped. The
 * host's importer recognises each file's format; the report lists what came in and, per rejected
 * file, why (nothing of a rejected file is written).
 */
export function ImportPage() {
  const host = useHost()
  const [textKind, setTextKind] = useState<TextKind | null>(null)
  const [progress, setProgress] = useState<ImportProgress | null>(null)
  const [report, setReport] = useState<{ outcome: ImportOutcome; files: number } | null>(null)
  const folderInput = useRef<HTMLInputElement>(null)
  const filesInput = useRef<HTMLInputElement>(null)
  const busy = progress !== null

  useEffect(() => {
    // Not in React's typings: lets the picker choose a folder and gives each file its path inside it.
    folderInput.current?.setAttribute('webkitdirectory', '')
  }, [])

  async function run(files: readonly PickedFile[]) {
    if (files.length === 0 || busy) return
    setReport(null)
    try {
      const outcome = await importPickedFiles(
        files,
        (uploads) => host.api['import.files']({ files: uploads, ...(textKind === null ? {} : { textKind }) }),
        setProgress
      )
      setReport({ outcome, files: files.length })
      if (outcome.errors.length === 0) notifySuccess('Import finished', describeOutcome(outcome))
      else notifyError('Import finished with rejected files', new Error(`${outcome.errors.length} of ${files.length} files were rejected; see the report.`))
    } catch (error) {
      notifyError('Import failed', error)
    } finally {
      setProgress(null)
    }
  }

  const pickedFrom = (input: HTMLInputElement | null) => {
    const files = input?.files === null || input?.files === undefined ? [] : [...input.files]
    if (input) input.value = ''
    return files
  }

  return (
    <>
      <PageHeader title="Import" description="SDF and SynDisco files: personas, topics, instructions, discussions, annotations." />
      <Stack gap="md">
        <Dropzone onDrop={(files) => void run(files)} loading={busy} multiple data-testid="import-dropzone" aria-label="Drop files or folders to import" activateOnClick={false}>
          <Stack align="center" gap={6} py="xl" style={{ pointerEvents: 'none' }}>
            <Text size="lg" fw={500}>
              Drop files or folders here
            </Text>
            <Text size="sm" c="dimmed" ta="center" maw={560}>
              A whole SDF folder works best: its folder names (personas, topics, instructions…) say what plain text files are. JSON files are
              recognised by their content.
            </Text>
          </Stack>
        </Dropzone>
        <Group gap="sm" wrap="wrap">
          <Button onClick={() => folderInput.current?.click()} disabled={busy} data-testid="import-pick-folder">
            Choose a folder…
          </Button>
          <Button variant="default" onClick={() => filesInput.current?.click()} disabled={busy} data-testid="import-pick-files">
            Choose files…
          </Button>
          <Select
            placeholder="Text files: by their folder"
            aria-label="What plain text files are when their folder does not say"
            clearable
            value={textKind}
            onChange={(value) => setTextKind(value as TextKind | null)}
            data={[
              { value: 'topic', label: 'Text files are topics' },
              { value: 'user-instruction', label: 'Text files are user instructions' },
              { value: 'moderator-instruction', label: 'Text files are moderator instructions' },
              { value: 'annotator-instruction', label: 'Text files are annotator instructions' }
            ]}
            w={300}
            data-testid="import-text-kind"
          />
          <input ref={folderInput} type="file" multiple hidden data-testid="import-folder-input" onChange={(event) => void run(pickedFrom(event.currentTarget))} />
          <input ref={filesInput} type="file" multiple hidden data-testid="import-files-input" onChange={(event) => void run(pickedFrom(event.currentTarget))} />
        </Group>
        {progress !== null && (
          <Stack gap={4} data-testid="import-progress">
            <Text size="sm">
              Importing… {progress.doneFiles} of {progress.totalFiles} files
            </Text>
            <Progress value={progress.totalFiles === 0 ? 0 : (100 * progress.doneFiles) / progress.totalFiles} animated aria-label="Import progress" />
          </Stack>
        )}
        {report !== null && <ImportReport outcome={report.outcome} files={report.files} />}
      </Stack>
    </>
  )
}

function ImportReport({ outcome, files }: { outcome: ImportOutcome; files: number }) {
  const rejected = outcome.errors.length
  return (
    <Stack gap="sm" data-testid="import-report" aria-label="Import report">
      <Text fw={600}>
        Imported from {files - rejected} of {files} file{files === 1 ? '' : 's'}
      </Text>
      <SimpleGrid cols={{ base: 2, sm: 3, md: 6 }} spacing="xs">
        {COUNTED.map((kind) => {
          const where = WHERE[kind]
          const badge = (
            <Badge size="lg" variant={outcome[kind] > 0 ? 'light' : 'outline'} color={outcome[kind] > 0 ? 'indigo' : 'gray'} fullWidth tt="none" data-testid={`import-count-${kind}`}>
              {outcome[kind]} {outcome[kind] === 1 ? kind.replace(/s$/, '') : kind}
            </Badge>
          )
          return where !== undefined && outcome[kind] > 0 ? (
            <Link key={kind} href={where} style={{ textDecoration: 'none' }}>
              {badge}
            </Link>
          ) : (
            <div key={kind}>{badge}</div>
          )
        })}
      </SimpleGrid>
      {rejected === 0 ? (
        <Alert color="green" data-testid="import-no-rejections">
          Every file was imported.
        </Alert>
      ) : (
        <>
          <Text fw={600} c="red" data-testid="import-rejected-count">
            {rejected} file{rejected === 1 ? ' was' : 's were'} rejected; nothing of {rejected === 1 ? 'it' : 'them'} was written
          </Text>
          <ScrollArea.Autosize mah={400} type="auto">
            <Table striped data-testid="import-rejections" aria-label="Rejected files">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>File</Table.Th>
                  <Table.Th>Why</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {outcome.errors.map((error, index) => (
                  <Table.Tr key={`${error.file}-${index}`}>
                    <Table.Td style={{ wordBreak: 'break-all', minWidth: 200 }}>
                      <code>{error.file}</code>
                    </Table.Td>
                    <Table.Td>{error.message}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
        </>
      )}
    </Stack>
  )
}
