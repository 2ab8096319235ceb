import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { toSdfAnnotationFiles } from '../formats/writeSdfAnnotations.js'
import { toSdfConversation } from '../formats/writeSdfConversation.js'
import { slug } from '../import/contentIds.js'
import { writeFileAtomically } from '../workspace/atomicFile.js'
import type { Workspace } from '../workspace/workspace.js'

export interface SdfExportFile {
  /** Path inside the export, with "/" separators: `discussions/<id>.json`, `annotations/<id>.<annotator>.json`. */
  name: string
  text: string
}

export interface SdfExportContents {
  discussions: number
  annotationFiles: number
  files: SdfExportFile[]
}

export interface SdfExportResult {
  discussions: number
  annotationFiles: number
  folder: string
}

/**
 * Discussions and their annotations as SynDisco 2.0 / SDF v0.2 JSON files that the original
 * tooling reads, with SDF Studio's extra fields under `sdf_studio` so that importing them again
 * loses nothing. File names come from ids, not from the clock, so exports never collide.
 */
export async function sdfExportContents(
  workspace: Workspace,
  options: { discussionIds?: readonly string[] } = {}
): Promise<SdfExportContents> {
  const ids = options.discussionIds ?? (await workspace.discussions.ids())
  const files: SdfExportFile[] = []
  let annotationFiles = 0
  for (const id of ids) {
    const discussion = await workspace.discussions.get(id)
    if (!discussion) throw new Error(`discussion "${id}" is not in the workspace`)
    files.push({ name: `discussions/${id}.json`, text: sdfJson(toSdfConversation(discussion)) })
    const { annotations } = await workspace.annotations.list(id)
    const usedNames = new Set<string>()
    for (const file of toSdfAnnotationFiles(id, annotations, {
      comments: discussion.comments,
      ctxLength: discussion.history_ctx_len
    })) {
      const base = `${id}.${slug(file.annotator_model) || 'annotator'}`
      let name = base
      for (let n = 2; usedNames.has(name); n++) name = `${base}-${n}`
      usedNames.add(name)
      files.push({ name: `annotations/${name}.json`, text: sdfJson(file) })
      annotationFiles += 1
    }
  }
  return { discussions: ids.length, annotationFiles, files }
}

/** The same export written into a folder (`discussions/`, `annotations/`), each file atomically. */
export async function exportSdfFiles(
  workspace: Workspace,
  outFolder: string,
  options: { discussionIds?: readonly string[] } = {}
): Promise<SdfExportResult> {
  const contents = await sdfExportContents(workspace, options)
  await mkdir(join(outFolder, 'discussions'), { recursive: true })
  await mkdir(join(outFolder, 'annotations'), { recursive: true })
  for (const file of contents.files) await writeFileAtomically(join(outFolder, ...file.name.split('/')), file.text)
  return { discussions: contents.discussions, annotationFiles: contents.annotationFiles, folder: outFolder }
}

/** SDF wrote `json.dump(indent=4)`; the same layout keeps diffs against its files small. */
function sdfJson(value: unknown): string {
  return `${JSON.stringify(value, null, 4)}\n`
}
