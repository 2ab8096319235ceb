import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import { exportSdfFiles, type Workspace } from '../core/index.js'
import type { SdfExport } from '../shared/index.js'

/**
 * Core's SDF export writes a folder; the renderer gets files. The export goes to a private
 * temporary folder, is read back and the folder removed. Twin of src/server/exportSdfContents.ts
 * (hosts may not import each other); both shrink to one line once core can export to memory.
 */
export async function exportSdfContents(workspace: Workspace, discussionIds: readonly string[] | undefined): Promise<SdfExport> {
  const folder = await mkdtemp(join(tmpdir(), 'sdf-export-'))
  try {
    const result = await exportSdfFiles(workspace, folder, discussionIds === undefined ? {} : { discussionIds })
    const names = (await readdir(folder, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => relative(folder, join(entry.parentPath, entry.name)))
      .sort()
    const files = await Promise.all(
      names.map(async (name) => ({ name: name.split(sep).join('/'), text: await readFile(join(folder, name), 'utf8') }))
    )
    return { discussions: result.discussions, annotationFiles: result.annotationFiles, files }
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}
