import { hash } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { z } from 'zod'
import { ValidatedRecordCache } from '../analysis/dataset/readAnnotationJournal.js'
import { readDiscussionsWithAnnotations, type DiscussionWithAnnotations } from '../analysis/dataset/readDiscussionsWithAnnotations.js'
import { pythonJsonDumps } from '../formats/pythonLiterals.js'
import { toSdfPersona } from '../formats/writeSdfPersona.js'
import type { Annotation, Discussion, Participant } from '../schema/index.js'
import type { WorkspaceProblem } from '../workspace/jsonCollection.js'
import type { Workspace } from '../workspace/workspace.js'
import { exportInOnePass } from './exportInOnePass.js'
import { scanForExport, type AnnotatorRegistry, type ExportColumnsFound } from './exportScan.js'
import { exportTableSpecs, tableDefinition, type FlatRow, type TableSpec } from './exportTableSpecs.js'
import { defaultExportWorkers, ExportWorkerError, ExportWorkerPool } from './exportWorkerPool.js'
import { flatByCommentDefinition, flatByCommentWriter, type FlatComment } from './flatByComment.js'
import { flatRowWriter } from './flatRowWriter.js'
import type { TableDefinition } from './tableColumn.js'
import { finishExport, rowPutter, TableFiles, type SettledOptions } from './tableFiles.js'
import type { TableWriter } from './tableWriter.js'

export const TableFormatSchema = z.enum(['csv', 'jsonl', 'parquet'])
export type TableFormat = z.infer<typeof TableFormatSchema>

export interface ExportProgress {
  /** scan: learning the columns; write: the rows; finish: closing files (Parquet: DuckDB writing them). */
  phase: 'scan' | 'write' | 'finish'
  done: number
  total: number
}

export interface ExportTablesOptions {
  format: TableFormat
  outFolder: string
  discussionIds?: readonly string[]
  onProgress?: (progress: ExportProgress) => void
  /**
   * Worker threads that read, validate and encode the discussions while the calling thread writes
   * the files, in order: the output is the same byte for byte. Default, for exports of at least
   * 1,000 discussions: `defaultExportWorkers()` (2 to 6, by cores); 0 or 1 exports in this thread.
   */
  workers?: number
}

/** Below this many discussions starting workers (about 0.2 s, half of it bundling the worker from source) does not pay. */
const WORKERS_FROM_DISCUSSIONS = 1000
export interface ExportTablesResult {
  folder: string
  format: TableFormat
  tables: { name: string; file: string; rows: number }[]
  dataDictionary: string[]
  problems: WorkspaceProblem[]
}

/** md5 hex of `${conv_id}_${message}`: SynDisco ≥ 2.0.4's message_id, stable across runs and machines. */
export function sdfMessageId(conversationId: string, message: string): string {
  // The one-shot hash costs half of createHash().update().digest(), on 150,000 comments an export.
  return hash('md5', `${conversationId}_${message}`, 'hex')
}

/**
 * Writes a workspace as long tables (discussions, comments, participants, annotations, annotators)
 * plus SynDisco's flat joined table (`sdf_flat`) and a data dictionary, in CSV, JSONL or Parquet,
 * as `<outFolder>/<table>.<ext>`, streaming, so memory stays flat however large the workspace.
 * Some columns depend on the data (conditions, labels and their types, participants' persona
 * attributes). With export workers, one pass reads every file once (`exportInOnePass`); in this
 * thread, a first pass learns those columns and a second writes the rows (`exportInTwoPasses`).
 * Both write the same bytes. The annotators table, whose columns depend on the annotators the
 * rows name, is written last.
 */
export async function exportTables(workspace: Workspace, options: ExportTablesOptions): Promise<ExportTablesResult> {
  const format = TableFormatSchema.parse(options.format)
  await mkdir(options.outFolder, { recursive: true })
  const ids = options.discussionIds ?? (await workspace.discussions.ids())
  const workers = options.workers ?? (ids.length >= WORKERS_FROM_DISCUSSIONS ? defaultExportWorkers() : 0)
  const pool = workers >= 2 ? await ExportWorkerPool.start(workers) : undefined
  const settled = { ...options, format, discussionIds: ids }
  const whole = options.discussionIds === undefined
  try {
    if (pool) {
      try {
        return await exportInOnePass(workspace, settled, whole, pool)
      } catch (error) {
        // Workers are only a speed-up: if they fail (cannot start, crash), export in this thread.
        if (!(error instanceof ExportWorkerError)) throw error
        await pool.close()
      }
    }
    return await exportInTwoPasses(workspace, settled, whole)
  } finally {
    await pool?.close()
  }
}

/**
 * In this thread: a first pass reads every discussion and journal without validating, to learn
 * the data-dependent columns (`scanForExport`); the second validates and writes rows as it reads.
 */
async function exportInTwoPasses(workspace: Workspace, options: SettledOptions, wholeWorkspace: boolean): Promise<ExportTablesResult> {
  const scan = await scanForExport(workspace, {
    discussionIds: options.discussionIds,
    listUnlinked: wholeWorkspace,
    onProgress: (done, total) => options.onProgress?.({ phase: 'scan', done, total })
  })
  const files = await TableFiles.open(options.format, options.outFolder)
  try {
    const specs = exportTableSpecs({ ...scan, annotatorExtraKeys: [] })
    for (const spec of [specs.discussions, specs.participants, specs.comments, specs.annotations]) files.open(tableDefinition(spec as TableSpec<never>))
    files.openFlat(specs.sdf_flat, scan.annotators)
    const problems = [...scan.problems]
    const write = discussionRowsWriter(scan, (name) => files.writer(name), scan.annotators, files.rowsEncoding.flatByComment)
    let done = 0
    for await (const item of readDiscussionsWithAnnotations(workspace, {
      discussionIds: scan.discussionIds,
      cache: new ValidatedRecordCache(),
      onProblem: (problem) => problems.push(problem)
    })) {
      await write(item)
      options.onProgress?.({ phase: 'write', done: ++done, total: scan.discussionIds.length })
    }
    return await finishExport(files, options, scan, scan.annotators, scan.unlinked, problems)
  } finally {
    await files.dispose()
  }
}

/**
 * The tables written row by row from each discussion (all but the annotators table), in file
 * order; with `flatByComment`, SynDisco's flat table in its by-comment layout (Parquet).
 */
export function exportedTableSpecs(columns: ExportColumnsFound, flatByComment = false): TableDefinition[] {
  const specs = exportTableSpecs({ ...columns, annotatorExtraKeys: [] })
  return [
    ...[specs.discussions, specs.participants, specs.comments, specs.annotations].map((spec) => tableDefinition(spec as TableSpec<never>)),
    flatByComment ? flatByCommentDefinition(specs.sdf_flat) : tableDefinition(specs.sdf_flat as TableSpec<never>)
  ]
}

/**
 * Writes one discussion's rows: the discussions, participants, comments, annotations and
 * SynDisco flat tables (those `writerOf` has a writer for), registering each annotation's
 * annotator. The flat table's rows are spelled out, or with `flatByComment` written in the
 * by-comment layout DuckDB expands (`flatByCommentWriter`). Used in this thread and in export
 * workers (with writers to memory), so both write the same bytes.
 */
export function discussionRowsWriter(
  columns: ExportColumnsFound,
  writerOf: (table: string) => TableWriter | undefined,
  annotators: AnnotatorRegistry,
  flatByComment = false
): (item: DiscussionWithAnnotations) => Promise<void> {
  const specs = exportTableSpecs({ ...columns, annotatorExtraKeys: [] })
  const put = rowPutter((name) => writerOf(name)!)
  const flatWriter = writerOf(specs.sdf_flat.name)
  const putFlatComment =
    flatWriter && flatByComment ? flatByCommentWriter(specs.sdf_flat, flatWriter, (annotation) => annotators.idOf(annotation.annotator, false)) : undefined
  const putFlatRow = flatWriter && !flatByComment ? flatRowWriter(specs.sdf_flat, flatWriter) : undefined
  const has = (spec: { name: string }): boolean => writerOf(spec.name) !== undefined
  const [discussions, participants, comments, annotationRows] = [specs.discussions, specs.participants, specs.comments, specs.annotations].map(has)
  return async ({ discussion, annotations }) => {
    let wait: Promise<void> | undefined
    if (discussions && (wait = put(specs.discussions, { discussion, annotations: annotations.length }))) await wait
    if (participants) for (const participant of discussion.participants) if ((wait = put(specs.participants, { discussion, participant }))) await wait
    if (comments) for (const comment of discussion.comments) if ((wait = put(specs.comments, { discussion, comment }))) await wait
    for (const annotation of annotations) {
      const annotatorId = annotators.idOf(annotation.annotator)
      if (annotationRows && (wait = put(specs.annotations, { annotation, annotatorId }))) await wait
    }
    if (putFlatComment) for (const comment of flatComments(discussion, annotations)) if ((wait = putFlatComment(comment))) await wait
    if (putFlatRow) for (const row of flatRows(discussion, annotations)) if ((wait = putFlatRow(row))) await wait
  }
}

/**
 * The speaker's prompt as SynDisco's conversation files carry it (`toSdfConversation`): the stored
 * system prompt, or SynDisco 2.0's JSON prompt built from the persona. Computed here, once per
 * speaker, because `toSdfConversation` deep-copies the whole discussion; a test holds the two equal.
 */
function promptOf(participant: Participant, context: string | null, cache: Map<string, string | null>): string | null {
  let prompt = cache.get(participant.username)
  if (prompt === undefined) {
    prompt =
      participant.system_prompt ??
      pythonJsonDumps({ context: context ?? '', instructions: '', type: '1', persona: toSdfPersona(participant.persona) })
    cache.set(participant.username, prompt)
  }
  return prompt
}

/**
 * SynDisco's flat rows for one discussion: a left join of comments and annotations, every comment
 * once per annotation of it (or once with empty annotation columns), in log order.
 */
export function* flatRows(discussion: Discussion, annotations: readonly Annotation[]): Generator<FlatRow> {
  for (const { annotations: commentAnnotations, ...base } of flatComments(discussion, annotations)) {
    if (commentAnnotations.length === 0) yield { ...base, annotation: undefined }
    else for (const annotation of commentAnnotations) yield { ...base, annotation }
  }
}

/**
 * The comments of SynDisco's flat table for one discussion, in log order, each with its
 * annotations. message_order follows SynDisco: it steps whenever message_id differs from the
 * previous row's, so identical consecutive texts share a number, as they did there.
 */
export function* flatComments(discussion: Discussion, annotations: readonly Annotation[]): Generator<FlatComment> {
  const byComment = new Map<number, Annotation[]>()
  for (const annotation of annotations) {
    if (annotation.comment_index === null) continue
    const list = byComment.get(annotation.comment_index) ?? []
    list.push(annotation)
    byComment.set(annotation.comment_index, list)
  }
  const speakers = new Map(discussion.participants.map((participant) => [participant.username, participant]))
  const prompts = new Map<string, string | null>()
  let order = 0
  let previousId: string | undefined
  for (const comment of discussion.comments) {
    const messageId = sdfMessageId(discussion.id, comment.text)
    if (messageId !== previousId) order += 1
    previousId = messageId
    const speaker = speakers.get(comment.author)
    yield {
      discussion,
      comment,
      speaker,
      userPrompt: speaker ? promptOf(speaker, discussion.context, prompts) : null,
      messageId,
      messageOrder: order,
      annotations: byComment.get(comment.index) ?? []
    }
  }
}
