import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, sep } from 'node:path'
import { importIntoWorkspace, type TextFileKind, type Workspace } from '../core/index.js'
import type { ImportOutcome, UploadedFile } from '../shared/index.js'

/**
 * Imports files the renderer read from disk or a drop: core's importer reads paths, so the files
 * are staged in a private temporary folder under their given names (SDF's folder names say what a
 * text file is), imported as explicitly named files, and the folder is removed. Errors name the
 * files as given. Twin of src/server/importUploads.ts (hosts may not import each other); both
 * shrink to one line once core can import texts.
 */
export async function importUploads(
  workspace: Workspace,
  files: readonly UploadedFile[],
  options: { textKind?: TextFileKind } = {}
): Promise<ImportOutcome> {
  const stage = await mkdtemp(join(tmpdir(), 'sdf-upload-'))
  try {
    const paths: string[] = []
    const duplicates: ImportOutcome['errors'] = []
    const seen = new Set<string>()
    for (const file of files) {
      // The contract already refused absolute names, "..", "." and backslashes.
      const path = join(stage, ...file.name.split('/'))
      if (seen.has(path)) {
        duplicates.push({ file: file.name, message: 'uploaded more than once; only the first copy was imported' })
        continue
      }
      seen.add(path)
      await mkdir(dirname(path), { recursive: true })
      await writeFile(path, file.text, { flag: 'wx' })
      paths.push(path)
    }
    const report = await importIntoWorkspace(workspace, paths, options)
    const uploadedName = (path: string) => (path.startsWith(stage + sep) ? path.slice(stage.length + 1).split(sep).join('/') : path)
    return {
      personas: report.personas,
      topics: report.topics,
      instructions: report.instructions,
      discussions: report.discussions,
      comments: report.comments,
      annotations: report.annotations,
      errors: [...report.errors.map((error) => ({ file: uploadedName(error.file), message: error.message })), ...duplicates]
    }
  } finally {
    await rm(stage, { recursive: true, force: true })
  }
}
