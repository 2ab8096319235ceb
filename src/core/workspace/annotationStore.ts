import { mkdir, readdir, rm, stat } from 'node:fs/promises'
import { join, sep } from 'node:path'
import { AnnotationSchema, IdSchema, type Annotation, type Discussion } from '../schema/index.js'
import { alignAnnotations } from './alignAnnotations.js'
import { isAtomicTempFile } from './atomicFile.js'
import { appendJsonl, countJsonlLines, readJsonl, type JsonlProblem } from './jsonl.js'

export interface AnnotationListing {
  annotations: Annotation[]
  problems: (JsonlProblem & { file: string })[]
}

const JOURNALS_COUNTED_AT_ONCE = 32

/**
 * Annotations live in append-only journals, one per discussion (`annotations/<id>.jsonl`), so
 * hundreds of thousands of labels stay cheap to add and a crash loses at most the record being
 * written. Records whose discussion is not in the workspace yet wait in `annotations/unlinked/`.
 */
export class AnnotationStore {
  /** Journal path → its record count, valid while the file's mtime and size are the same. */
  private readonly counted = new Map<string, { mtimeMs: number; size: number; records: number }>()

  constructor(
    private readonly folder: string,
    private readonly unlinkedFolder: string
  ) {}

  linkedPath(discussionId: string): string {
    return join(this.folder, `${IdSchema.parse(discussionId)}.jsonl`)
  }

  unlinkedPath(reference: string): string {
    return join(this.unlinkedFolder, `${IdSchema.parse(reference)}.jsonl`)
  }

  async list(discussionId: string): Promise<AnnotationListing> {
    return this.readFile(this.linkedPath(discussionId))
  }

  /** Appends records not stored yet (by id), so importing the same file twice adds nothing. */
  async append(discussionId: string, annotations: readonly Annotation[]): Promise<number> {
    return this.appendNew(this.linkedPath(discussionId), annotations)
  }

  async addUnlinked(reference: string, annotations: readonly Annotation[]): Promise<number> {
    return this.appendNew(this.unlinkedPath(reference), annotations)
  }

  async listUnlinked(): Promise<AnnotationListing> {
    const listing: AnnotationListing = { annotations: [], problems: [] }
    for (const name of await journalNames(this.unlinkedFolder)) {
      const part = await this.readFile(join(this.unlinkedFolder, name))
      listing.annotations.push(...part.annotations)
      listing.problems.push(...part.problems)
    }
    return listing
  }

  /**
   * Moves the annotations waiting for this discussion into its journal, aligned to its comments.
   * Records that match no comment stay unlinked and are counted, not dropped.
   */
  async linkWaiting(discussion: Discussion): Promise<{ linked: number; unmatched: number }> {
    const waitingPath = this.unlinkedPath(discussion.id)
    const { annotations } = await this.readFile(waitingPath)
    if (annotations.length === 0) return { linked: 0, unmatched: 0 }
    const linked: Annotation[] = []
    const unmatched: Annotation[] = []
    for (const group of groupBySource(annotations)) {
      const indices = alignAnnotations(discussion, group)
      group.forEach((annotation, i) => {
        const index = indices[i] ?? null
        if (index === null) unmatched.push(annotation)
        else linked.push({ ...annotation, discussion_id: discussion.id, comment_index: index })
      })
    }
    await this.append(discussion.id, linked)
    // The linked copies are durable before the waiting file goes; a crash in between only
    // leaves records that the id check above skips next time.
    await rm(waitingPath, { force: true })
    if (unmatched.length > 0) await this.appendNew(waitingPath, unmatched)
    return { linked: linked.length, unmatched: unmatched.length }
  }

  /**
   * Number of stored records, linked and unlinked, counted by journal lines (see `countJsonlLines`)
   * and remembered per journal until it changes: a summary of 10,000 journals parses none of them.
   */
  async count(): Promise<{ linked: number; unlinked: number }> {
    return { linked: await this.countFolder(this.folder), unlinked: await this.countFolder(this.unlinkedFolder) }
  }

  private async countFolder(folder: string): Promise<number> {
    const names = await journalNames(folder)
    const paths = new Set(names.map((name) => join(folder, name)))
    // Journals removed since the last count are forgotten, so the memo stays as big as the folder.
    for (const path of this.counted.keys()) {
      if (path.startsWith(`${folder}${sep}`) && !path.slice(folder.length + 1).includes(sep) && !paths.has(path)) this.counted.delete(path)
    }
    // A few journals at a time: 10,000 small files are mostly waiting on the filesystem.
    const ordered = [...paths]
    let total = 0
    for (let start = 0; start < ordered.length; start += JOURNALS_COUNTED_AT_ONCE) {
      const counts = await Promise.all(ordered.slice(start, start + JOURNALS_COUNTED_AT_ONCE).map((path) => this.countJournal(path)))
      for (const count of counts) total += count
    }
    return total
  }

  private async countJournal(path: string): Promise<number> {
    let info
    try {
      info = await stat(path)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0
      throw error
    }
    const known = this.counted.get(path)
    if (known && known.mtimeMs === info.mtimeMs && known.size === info.size) return known.records
    const records = await countJsonlLines(path)
    this.counted.set(path, { mtimeMs: info.mtimeMs, size: info.size, records })
    return records
  }

  private async appendNew(path: string, annotations: readonly Annotation[]): Promise<number> {
    if (annotations.length === 0) return 0
    const existing = new Set((await this.readFile(path)).annotations.map((annotation) => annotation.id))
    const fresh = annotations.filter((annotation) => !existing.has(annotation.id))
    if (fresh.length === 0) return 0
    await mkdir(join(path, '..'), { recursive: true })
    await appendJsonl(
      path,
      fresh.map((annotation) => AnnotationSchema.parse(annotation))
    )
    return fresh.length
  }

  private async readFile(path: string): Promise<AnnotationListing> {
    const { records, problems } = await readJsonl(path, AnnotationSchema)
    return { annotations: records, problems: problems.map((problem) => ({ ...problem, file: path })) }
  }
}

async function journalNames(folder: string): Promise<string[]> {
  try {
    return (await readdir(folder)).filter((name) => name.endsWith('.jsonl') && !isAtomicTempFile(name)).sort()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
}

/** Records from one source file are aligned together; different files are independent passes. */
function groupBySource(annotations: readonly Annotation[]): Annotation[][] {
  const groups = new Map<string, Annotation[]>()
  for (const annotation of annotations) {
    const key = `${annotation.source?.sha256 ?? annotation.source?.file ?? ''}|${annotation.annotator.name}`
    const group = groups.get(key) ?? []
    group.push(annotation)
    groups.set(key, group)
  }
  return [...groups.values()]
}
