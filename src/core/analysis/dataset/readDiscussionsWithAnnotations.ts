import type { Annotation, Discussion } from '../../schema/index.js'
import type { WorkspaceProblem } from '../../workspace/jsonCollection.js'
import type { Workspace } from '../../workspace/workspace.js'
import { mapAhead } from './mapAhead.js'
import { parseDiscussionRecord } from './parseDiscussionRecord.js'
import { parseAnnotationJournal, readAnnotationJournal, ValidatedRecordCache } from './readAnnotationJournal.js'
import { readWorkspaceBytes, readWorkspaceFile } from './readWorkspaceFile.js'

export interface DiscussionWithAnnotations {
  discussion: Discussion
  annotations: Annotation[]
}

export interface ReadDiscussionsOptions {
  discussionIds?: readonly string[]
  /** Files read ahead while the caller works on the current one (default 16). */
  concurrency?: number
  /** Shared with another pass over the same workspace, so both see the very same annotator objects. */
  cache?: ValidatedRecordCache
  /** Files that could not be read as a discussion, and journal lines that were not annotations. */
  onProblem?: (problem: WorkspaceProblem) => void
}

/**
 * Every discussion of a workspace with its annotations, in id order, reading a few files ahead.
 * Reads the files directly rather than through `workspace.discussions.get`, whose cache would keep
 * every discussion in memory (analyses and exports of 150,000 comments only ever hold the
 * discussions in flight), and reads annotation journals with `readAnnotationJournal`, whose
 * validation is several times faster than parsing every line with zod.
 */
export async function* readDiscussionsWithAnnotations(
  workspace: Workspace,
  options: ReadDiscussionsOptions = {}
): AsyncGenerator<DiscussionWithAnnotations> {
  const ids = options.discussionIds ?? (await workspace.discussions.ids())
  const cache = options.cache ?? new ValidatedRecordCache()
  let count = 0
  for await (const result of mapAhead(ids, options.concurrency ?? 16, (id) => readOne(workspace, id, cache))) {
    for (const problem of result.problems) options.onProblem?.(problem)
    if (result.item) yield result.item
    // File reads are synchronous (see readWorkspaceFile): let timers and I/O run now and then.
    if (++count % 200 === 0) await new Promise((resolve) => setImmediate(resolve))
  }
}

export interface ReadResult {
  item?: DiscussionWithAnnotations
  problems: WorkspaceProblem[]
}

async function readOne(workspace: Workspace, id: string, cache: ValidatedRecordCache): Promise<ReadResult> {
  return readDiscussionFiles({ id, discussion: workspace.discussions.pathOf(id), journal: workspace.annotations.linkedPath(id) }, cache)
}

/** Where one discussion's files are: its record and its linked-annotation journal. */
export interface DiscussionFiles {
  id: string
  discussion: string
  journal: string
}

/**
 * What an export's single pass learns from the files as they are read, before validation: the
 * discussion's JSON (undefined when it is missing or not JSON) and the journal's bytes.
 */
export interface RawFilesObserver {
  seeDiscussion(data: unknown): void
  seeJournal(bytes: Buffer): void
}

/**
 * Reads and validates one discussion and its journal from their paths (no Workspace needed, so a
 * worker thread can do it): the discussion is checked against `DiscussionSchema`'s fields and
 * rules, every journal line against `AnnotationSchema`; what fails is returned as problems. An
 * `observer` sees both files even when the discussion is not valid.
 */
export function readDiscussionFiles(files: DiscussionFiles, cache: ValidatedRecordCache, observer?: RawFilesObserver): ReadResult {
  const { id, discussion: file } = files
  let data: unknown
  let problem: WorkspaceProblem | undefined
  let missing = false
  try {
    const text = readWorkspaceFile(file)
    if (text === undefined) missing = true // deleted since the listing: not a problem
    else data = JSON.parse(text)
  } catch (error) {
    problem = { file, message: `not valid JSON (${(error as Error).message})` }
  }
  let journalText: string | undefined
  if (observer) {
    observer.seeDiscussion(data)
    const bytes = readWorkspaceBytes(files.journal)
    if (bytes) {
      observer.seeJournal(bytes)
      journalText = bytes.toString('utf8')
    }
  }
  if (missing) return { problems: [] }
  if (problem) return { problems: [problem] }
  const parsed = parseDiscussionRecord(data)
  if ('message' in parsed) return { problems: [{ file, message: `not a valid discussion: ${parsed.message}` }] }
  const { discussion } = parsed
  if (discussion.id !== id) return { problems: [{ file, message: `holds id "${discussion.id}" but is named ${id}.json` }] }
  const journal = observer
    ? journalText === undefined
      ? { annotations: [], problems: [] }
      : parseAnnotationJournal(files.journal, journalText, cache)
    : readAnnotationJournal(files.journal, cache)
  return { item: { discussion, annotations: journal.annotations }, problems: journal.problems }
}
