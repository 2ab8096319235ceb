import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { toSdfAnnotationFiles } from '../formats/writeSdfAnnotations.js'
import { toSdfConversation } from '../formats/writeSdfConversation.js'
import { slug } from '../import/contentIds.js'
import { writeFileAtomically } from '../workspace/atomicFile.js'
import type { Workspace } from '../workspace/workspace.js'

export interface SdfExportResult {
  discussions: number
  annotationFiles: number
  folder: string
}

/**
 * Writes discussions and their annotations as SynDisco 2.0 / SDF v0.2 JSON files that the original
 * tooling reads (`discussions/<id>.json`, `annotations/<id>.<annotator>.json`), with SDF Studio's
 * extra fields under `sdf_studio` so that importing them again loses nothing. File names come from
 * ids, not from the clock, so two exports never overwrite each other's files by accident.
 */
export async function exportSdfFiles(
  workspace: Workspace,
  outFolder: string,
  options: { discussionIds?: readonly string[] } = {}
): Promise<SdfExportResult> {
  const ids = options.discussionIds ?? (await workspace.discussions.ids())
  const discussionsFolder = join(outFolder, 'discussions')
  const annotationsFolder = join(outFolder, 'annotations')
  await mkdir(discussionsFolder, { recursive: true })
  await mkdir(annotationsFolder, { recursive: true })
  let annotationFiles = 0
  for (const id of ids) {
    const discussion = await workspace.discussions.get(id)
    if (!discussion) throw new Error(`discussion "${id}" is not in the workspace`)
    await writeFileAtomically(join(discussionsFolder, `${id}.json`), sdfJson(toSdfConversation(discussion)))
    const { annotations } = await workspace.annotations.list(id)
    const files = toSdfAnnotationFiles(id, annotations, {
      comments: discussion.comments,
      ctxLength: discussion.history_ctx_len
    })
    const usedNames = new Set<string>()
    for (const file of files) {
      const base = `${id}.${slug(file.annotator_model) || 'annotator'}`
      let name = base
      for (let n = 2; usedNames.has(name); n++) name = `${base}-${n}`
      usedNames.add(name)
      await writeFileAtomically(join(annotationsFolder, `${name}.json`), sdfJson(file))
      annotationFiles += 1
    }
  }
  return { discussions: ids.length, annotationFiles, folder: outFolder }
}

/** SDF wrote `json.dump(indent=4)`; the same layout keeps diffs against its files small. */
function sdfJson(value: unknown): string {
  return `${JSON.stringify(value, null, 4)}\n`
}
