import { statSync, watch, type FSWatcher } from 'node:fs'
import { join } from 'node:path'
import { toAnalysisDiscussion, type AnalysisDataset, type AnalysisDiscussion } from '../analysis/dataset/analysisDataset.js'
import { parseDiscussionRecord } from '../analysis/dataset/parseDiscussionRecord.js'
import { readAnnotationJournal, ValidatedRecordCache } from '../analysis/dataset/readAnnotationJournal.js'
import { readWorkspaceFile } from '../analysis/dataset/readWorkspaceFile.js'
import { IdSchema, type Annotation } from '../schema/index.js'
import type { WorkspaceProblem } from '../workspace/jsonCollection.js'
import { ANNOTATIONS_FOLDER } from '../workspace/layout.js'
import type { Workspace } from '../workspace/workspace.js'

/** One discussion as the results methods see it: the analyses' form, plus its raw timestamp, status and context. */
export interface IndexedDiscussion {
  readonly analysis: AnalysisDiscussion
  readonly timestamp: string | null
  readonly status: string
  readonly context: string | null
  /** Annotations linked to its comments (after keeping each annotator's latest label per comment). */
  readonly annotationCount: number
  /** What `discussions.search` derives from it, filled on first use. */
  derived?: unknown
}

interface Entry {
  stamp: string
  item: IndexedDiscussion | undefined
  problems: WorkspaceProblem[]
}

export interface DiscussionSnapshot {
  /** In id order. */
  readonly discussions: readonly IndexedDiscussion[]
  readonly problems: readonly WorkspaceProblem[]
  /** Changes whenever the discussions or their annotations do. */
  readonly version: number
}

/** How long a snapshot kept current by file watching is trusted before every file is checked again. */
const FULL_CHECK_MS = 30_000

/**
 * The workspace's discussions and annotations, read once and kept: a discussion is re-read only
 * when its file or its annotation journal changed (size or mtime), whoever changed it (this host,
 * the CLI, an editor). Watching the two folders says which files changed, so a call on an
 * unchanged workspace costs nothing; without watch events (or every 30 s, for file systems whose
 * events are unreliable) each file is checked with `stat`: 20,000 of them for 10,000 discussions,
 * still far cheaper than reading and validating every file again.
 */
export class DiscussionIndex {
  private readonly entries = new Map<string, Entry>()
  private readonly cache = new ValidatedRecordCache()
  private refreshing: Promise<DiscussionSnapshot> | undefined
  private current: DiscussionSnapshot | undefined
  private checkedAt = 0
  private watchers: FSWatcher[] | undefined
  /** Ids whose files changed since the last refresh; `all` when a change could not be placed. */
  private changed: Set<string> | 'all' = 'all'
  /** Bumped whenever a refresh finds a change: results computed at one version stay valid until the next. */
  private version = 0

  constructor(readonly workspace: Workspace) {}

  /** The current discussions; concurrent callers share one refresh. */
  snapshot(): Promise<DiscussionSnapshot> {
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = undefined
    })
    return this.refreshing
  }

  /** The analyses' dataset over the current discussions, and the version it belongs to. */
  async dataset(): Promise<AnalysisDataset & { version: number }> {
    const snapshot = await this.snapshot()
    return { discussions: snapshot.discussions.map((item) => item.analysis), problems: [...snapshot.problems], version: snapshot.version }
  }

  /** Stops watching the workspace's folders (the index still works, checking files with `stat`). */
  close(): void {
    for (const watcher of this.watchers ?? []) watcher.close()
    this.watchers = []
    this.changed = 'all'
  }

  private watch(): void {
    if (this.watchers !== undefined) return
    this.watchers = []
    const folders: [string, string][] = [
      [this.workspace.discussions.folder, '.json'],
      [join(this.workspace.root, ANNOTATIONS_FOLDER), '.jsonl']
    ]
    for (const [folder, extension] of folders) {
      try {
        const watcher = watch(folder, { persistent: false }, (_event, name) => {
          if (this.changed === 'all') return
          if (name === null || !name.endsWith(extension)) {
            // Not a record file (a temp file, an unnamed event): only a full check can tell.
            if (name === null) this.changed = 'all'
            return
          }
          this.changed.add(name.slice(0, -extension.length))
        })
        watcher.on('error', () => this.close())
        this.watchers.push(watcher)
      } catch {
        // A folder that does not exist yet, or a file system without events: stat every time.
        this.close()
        return
      }
    }
  }

  private async refresh(): Promise<DiscussionSnapshot> {
    this.watch()
    // Let file events already queued (a write that preceded this call) arrive before deciding.
    await new Promise((resolve) => setImmediate(resolve))
    const watching = this.watchers !== undefined && this.watchers.length === 2
    const fresh = watching && this.current !== undefined && Date.now() - this.checkedAt < FULL_CHECK_MS
    if (fresh && this.changed !== 'all') {
      if (this.changed.size === 0) return this.current!
      const ids = [...this.changed]
      this.changed = new Set()
      return this.update(ids)
    }
    // Events from here on are kept for the next refresh; this one checks every file anyway.
    this.changed = watching ? new Set() : 'all'
    const ids = await this.workspace.discussions.ids()
    const present = new Set(ids)
    const known = this.entries.size
    for (const id of this.entries.keys()) if (!present.has(id)) this.entries.delete(id)
    const snapshot = await this.update(ids, this.entries.size !== known)
    // Counted from the end: a first read of a big workspace can take longer than FULL_CHECK_MS.
    this.checkedAt = Date.now()
    return snapshot
  }

  /** Re-checks the given ids and builds a new snapshot if any changed (or `removed` says some went). */
  private async update(ids: readonly string[], removed = false): Promise<DiscussionSnapshot> {
    let found = removed
    let read = 0
    for (const id of ids) {
      if (IdSchema.safeParse(id).success !== true) continue
      const discussionFile = this.workspace.discussions.pathOf(id)
      const journalFile = this.workspace.annotations.linkedPath(id)
      const stamp = `${fileStamp(discussionFile)}|${fileStamp(journalFile)}`
      const entry = this.entries.get(id)
      if (entry !== undefined && entry.stamp === stamp) continue
      found = true
      if (stamp.startsWith('none|')) {
        this.entries.delete(id)
        continue
      }
      this.entries.set(id, { stamp, ...readDiscussion(id, discussionFile, journalFile, this.cache) })
      // Reads are synchronous (see readWorkspaceFile): let other requests run now and then.
      if (++read % 200 === 0) await new Promise((resolve) => setImmediate(resolve))
    }
    if (!found && this.current !== undefined) return this.current
    if (found) this.version += 1
    const discussions: IndexedDiscussion[] = []
    const problems: WorkspaceProblem[] = []
    for (const id of [...this.entries.keys()].sort(compareText)) {
      const entry = this.entries.get(id)!
      if (entry.item) discussions.push(entry.item)
      problems.push(...entry.problems)
    }
    this.current = { discussions, problems, version: this.version }
    return this.current
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function fileStamp(path: string): string {
  try {
    const stats = statSync(path)
    return `${stats.mtimeMs}:${stats.size}`
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'none'
    throw error
  }
}

function readDiscussion(
  id: string,
  file: string,
  journalFile: string,
  cache: ValidatedRecordCache
): { item: IndexedDiscussion | undefined; problems: WorkspaceProblem[] } {
  let data: unknown
  try {
    const text = readWorkspaceFile(file)
    if (text === undefined) return { item: undefined, problems: [] }
    data = JSON.parse(text)
  } catch (error) {
    return { item: undefined, problems: [{ file, message: `not valid JSON (${(error as Error).message})` }] }
  }
  const parsed = parseDiscussionRecord(data)
  if ('message' in parsed) return { item: undefined, problems: [{ file, message: `not a valid discussion: ${parsed.message}` }] }
  const { discussion } = parsed
  if (discussion.id !== id) return { item: undefined, problems: [{ file, message: `holds id "${discussion.id}" but is named ${id}.json` }] }
  const journal = readAnnotationJournal(journalFile, cache)
  const annotations = latestPerAnnotator(journal.annotations)
  return {
    item: {
      analysis: toAnalysisDiscussion(discussion, annotations),
      timestamp: discussion.timestamp,
      status: discussion.status,
      context: discussion.context,
      annotationCount: annotations.filter((a) => a.comment_index !== null && a.comment_index < discussion.comments.length).length
    },
    problems: journal.problems
  }
}

/**
 * One label per annotator and comment: the journal's last. Journals are append-only, so a human
 * who corrects a label appends a new record; the analyses must count the correction, once.
 */
export function latestPerAnnotator(annotations: readonly Annotation[]): Annotation[] {
  const latest = new Map<string, Annotation>()
  for (const annotation of annotations) {
    const key = `${annotation.annotator.name}\u0000${annotation.comment_index ?? 'unlinked'}\u0000${annotation.annotator.kind}`
    // Delete first so the map's order is the order of the latest records.
    latest.delete(key)
    latest.set(key, annotation)
  }
  return [...latest.values()]
}
