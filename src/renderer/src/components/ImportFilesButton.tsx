import { Button, FileButton } from '@mantine/core'
import { useState } from 'react'
import type { ImportOutcome } from '../../../shared/index.js'
import { useHost } from '../hostContext.js'
import { notifyError, notifySuccess } from './notify.js'
import { importPickedFiles } from './uploads.js'

/** Counts of an import as one sentence: "3 personas, 1 topic". */
export function describeOutcome(outcome: ImportOutcome): string {
  const parts = (['personas', 'topics', 'instructions', 'discussions', 'comments', 'annotations'] as const)
    .filter((kind) => outcome[kind] > 0)
    .map((kind) => `${outcome[kind]} ${outcome[kind] === 1 ? kind.replace(/s$/, '') : kind}`)
  return parts.length === 0 ? 'nothing' : parts.join(', ')
}

/** Bulk import from a library page: files go through `import.files`, the outcome comes back as toasts. */
export function ImportFilesButton({
  label,
  accept,
  testId,
  textKind
}: {
  label: string
  accept?: string
  testId: string
  /** What plain text files are (their folder does not say when picked one by one). */
  textKind?: 'topic' | 'user-instruction' | 'moderator-instruction' | 'annotator-instruction'
}) {
  const host = useHost()
  const [busy, setBusy] = useState(false)
  return (
    <FileButton
      multiple
      {...(accept === undefined ? {} : { accept })}
      onChange={async (files) => {
        if (files.length === 0) return
        setBusy(true)
        try {
          const outcome = await importPickedFiles(files, (uploads) => host.api['import.files']({ files: uploads, ...(textKind === undefined ? {} : { textKind }) }))
          notifySuccess('Imported', `${describeOutcome(outcome)} from ${files.length} file${files.length === 1 ? '' : 's'}`)
          for (const error of outcome.errors.slice(0, 5)) notifyError(`Rejected ${error.file}`, new Error(error.message))
        } catch (error) {
          notifyError('Import failed', error)
        } finally {
          setBusy(false)
        }
      }}
    >
      {(props) => (
        <Button variant="default" loading={busy} data-testid={testId} {...props}>
          {label}
        </Button>
      )}
    </FileButton>
  )
}
