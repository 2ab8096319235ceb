import type { ImportOutcome, UploadedFile } from '../../../shared/index.js'

/** A file as the browser hands it: a drop or a picker, maybe with the folder it came from. */
export interface PickedFile {
  readonly name: string
  readonly size: number
  /** Set by folder pickers (`<input webkitdirectory>`): `folder/sub/file.json`. */
  readonly webkitRelativePath?: string
  /** Set by react-dropzone for drops: `/folder/sub/file.json` or `./file.json`. */
  readonly path?: string
  text(): Promise<string>
}

/**
 * The name the host is given: the path inside what the user picked, folders kept (SDF's folder
 * names say what a text file is), made relative the way the contract requires.
 */
export function uploadName(file: PickedFile): string {
  const raw = file.webkitRelativePath !== undefined && file.webkitRelativePath !== '' ? file.webkitRelativePath : (file.path ?? file.name)
  const parts = raw
    .replace(/\\/g, '/')
    .split('/')
    .filter((part) => part !== '' && part !== '.' && part !== '..')
  return parts.length === 0 ? file.name : parts.join('/')
}

/** Files are sent in batches of about this many bytes, so progress moves and no message is huge. */
export const UPLOAD_BATCH_BYTES = 4 * 1024 * 1024
export const UPLOAD_BATCH_FILES = 200

/** Splits files into batches by size and count, keeping their order; a big file gets a batch of its own. */
export function uploadBatches<T extends { size: number }>(files: readonly T[], maxBytes = UPLOAD_BATCH_BYTES, maxFiles = UPLOAD_BATCH_FILES): T[][] {
  const batches: T[][] = []
  let current: T[] = []
  let bytes = 0
  for (const file of files) {
    if (current.length > 0 && (bytes + file.size > maxBytes || current.length >= maxFiles)) {
      batches.push(current)
      current = []
      bytes = 0
    }
    current.push(file)
    bytes += file.size
  }
  if (current.length > 0) batches.push(current)
  return batches
}

export const EMPTY_OUTCOME: ImportOutcome = { personas: 0, topics: 0, instructions: 0, discussions: 0, comments: 0, annotations: 0, errors: [] }

/** Adds up the outcomes of several batches into one report. */
export function mergeOutcomes(a: ImportOutcome, b: ImportOutcome): ImportOutcome {
  return {
    personas: a.personas + b.personas,
    topics: a.topics + b.topics,
    instructions: a.instructions + b.instructions,
    discussions: a.discussions + b.discussions,
    comments: a.comments + b.comments,
    annotations: a.annotations + b.annotations,
    errors: [...a.errors, ...b.errors]
  }
}

export interface ImportProgress {
  readonly doneFiles: number
  readonly totalFiles: number
}

/** Files the browser could not read (permissions, vanished) are reported like the host's rejections. */
export async function readUploads(files: readonly PickedFile[]): Promise<{ uploads: UploadedFile[]; unreadable: ImportOutcome['errors'] }> {
  const uploads: UploadedFile[] = []
  const unreadable: ImportOutcome['errors'] = []
  for (const file of files) {
    const name = uploadName(file)
    try {
      uploads.push({ name, text: await file.text() })
    } catch (error) {
      unreadable.push({ file: name, message: `the browser could not read it: ${error instanceof Error ? error.message : String(error)}` })
    }
  }
  return { uploads, unreadable }
}

/**
 * Sends the files to `import.files` batch by batch and adds up the report. A batch the host refuses
 * as a whole (a transport failure, a name it will not take) becomes one rejection per file in it,
 * so the report still names every file.
 */
export async function importPickedFiles(
  files: readonly PickedFile[],
  importFiles: (uploads: UploadedFile[]) => Promise<ImportOutcome>,
  onProgress?: (progress: ImportProgress) => void
): Promise<ImportOutcome> {
  let outcome = EMPTY_OUTCOME
  let done = 0
  onProgress?.({ doneFiles: 0, totalFiles: files.length })
  for (const batch of uploadBatches(files)) {
    const { uploads, unreadable } = await readUploads(batch)
    outcome = mergeOutcomes(outcome, { ...EMPTY_OUTCOME, errors: unreadable })
    if (uploads.length > 0) {
      try {
        outcome = mergeOutcomes(outcome, await importFiles(uploads))
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        outcome = mergeOutcomes(outcome, { ...EMPTY_OUTCOME, errors: uploads.map((upload) => ({ file: upload.name, message })) })
      }
    }
    done += batch.length
    onProgress?.({ doneFiles: done, totalFiles: files.length })
  }
  return outcome
}
