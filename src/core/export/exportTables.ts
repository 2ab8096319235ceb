import { createHash } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { z } from 'zod'
import { ValidatedRecordCache } from '../analysis/dataset/readAnnotationJournal.js'
import {
  readDiscussionsWithAnnotations,
  type DiscussionFiles,
  type DiscussionWithAnnotations
} from '../analysis/dataset/readDiscussionsWithAnnotations.js'
import { pythonJsonDumps } from '../formats/pythonLiterals.js'
import { toSdfPersona } from '../formats/writeSdfPersona.js'
import type { Annotation, Discussion, Participant } from '../schema/index.js'
import type { WorkspaceProblem } from '../workspace/jsonCollection.js'
import type { Workspace } from '../workspace/workspace.js'
import { csvTableWriter } from './csvTableWriter.js'
import { writeDataDictionary } from './dataDictionary.js'
import { annotatorExtraKeys, scanForExport, type AnnotatorRegistry, type ExportScan } from './exportScan.js'
import { exportTableSpecs, tableDefinition, type FlatRow, type TableSpec } from './exportTableSpecs.js'
import { flatRowWriter } from './flatRowWriter.js'
import type { ExportWorkerReply, WrittenBatch } from './exportWorkerProtocol.js'
import { defaultExportWorkers, ExportWorkerError, ExportWorkerPool } from './exportWorkerPool.js'
import { jsonlTableWriter } from './jsonlTableWriter.js'
import { transferList } from './memoryTextSink.js'
import { openParquetTableWriters, type ParquetTableWriters } from './parquetTableWriters.js'
import type { CellValue, TableDefinition } from './tableColumn.js'
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
   * the files, in order: the output is the same byte for byte. Default: two on a machine with two
   * cores or more, for exports of at least 1,000 discussions; 0 or 1 exports in this thread.
   */
  workers?: number
}

/** Below this many discussions starting workers (about half a second each from source) does not pay. */
const WORKERS_FROM_DISCUSSIONS = 1000
/** Discussions per batch handed to a worker, and batches in flight (bounds memory: ~5 MB of rows each). */
const WRITE_BATCH = 50
const BATCHES_IN_FLIGHT = 6

export interface ExportTablesResult {
  folder: string
  format: TableFormat
  tables: { name: string; file: string; rows: number }[]
  dataDictionary: string[]
  problems: WorkspaceProblem[]
}

/** md5 hex of `${conv_id}_${message}`: SynDisco ≥ 2.0.4's message_id, stable across runs and machines. */
export function sdfMessageId(conversationId: string, message: string): string {
  return createHash('md5').update(`${conversationId}_${message}`, 'utf8').digest('hex')
}

/**
 * Writes a workspace as long tables (discussions, comments, participants, annotations, annotators)
 * plus SynDisco's flat joined table (`sdf_flat`) and a data dictionary, in CSV, JSONL or Parquet,
 * as `<outFolder>/<table>.<ext>`. Two streaming passes over the workspace: the first learns the
 * columns that depend on the data (conditions, labels and their types, participants' persona
 * attributes), the second validates and writes rows as it reads, so memory stays flat however
 * large the workspace. The annotators table, whose columns depend on the annotators the rows name,
 * is written last.
 */
export async function exportTables(workspace: Workspace, options: ExportTablesOptions): Promise<ExportTablesResult> {
  const format = TableFormatSchema.parse(options.format)
  await mkdir(options.outFolder, { recursive: true })
  const ids = options.discussionIds ?? (await workspace.discussions.ids())
  const pool =
    (options.workers ?? (ids.length >= WORKERS_FROM_DISCUSSIONS ? defaultExportWorkers() : 0)) >= 2
      ? ExportWorkerPool.start(options.workers ?? defaultExportWorkers())
      : undefined
  const whole = options.discussionIds === undefined
  try {
    return await exportWith(workspace, { ...options, format, discussionIds: ids }, whole, pool)
  } catch (error) {
    // Workers are only a speed-up: if they fail (cannot start, crash), export in this thread.
    if (!(error instanceof ExportWorkerError)) throw error
    await pool?.close()
    return await exportWith(workspace, { ...options, format, discussionIds: ids }, whole, undefined)
  } finally {
    await pool?.close()
  }
}

async function exportWith(
  workspace: Workspace,
  options: ExportTablesOptions & { discussionIds: readonly string[] },
  wholeWorkspace: boolean,
  pool: ExportWorkerPool | undefined
): Promise<ExportTablesResult> {
  const { format } = options
  const scan = await scanForExport(workspace, {
    discussionIds: options.discussionIds,
    listUnlinked: wholeWorkspace,
    onProgress: (done, total) => options.onProgress?.({ phase: 'scan', done, total }),
    ...(pool ? { scanBatch: async (files: DiscussionFiles[]) => expectReply(await pool.request({ type: 'scan', files }), 'scanned').scan } : {})
  })
  const specs = exportTableSpecs(scan)
  const order = [specs.discussions, specs.participants, specs.comments, specs.annotations, specs.annotators, specs.sdf_flat] as const
  const definitions = order.map((spec) => tableDefinition(spec as TableSpec<never>))
  let parquet: ParquetTableWriters | undefined
  const writers = new Map<string, TableWriter>()
  const open = (definition: TableDefinition): TableWriter => {
    const writer =
      format === 'csv'
        ? csvTableWriter(options.outFolder, definition)
        : format === 'jsonl'
          ? jsonlTableWriter(options.outFolder, definition)
          : parquet!.writer(options.outFolder, definition)
    writers.set(definition.name, writer)
    return writer
  }
  try {
    if (format === 'parquet') parquet = await openParquetTableWriters()
    // The annotators table is opened last: its columns depend on the annotators the rows name.
    for (const definition of definitions) if (definition.name !== specs.annotators.name) open(definition)
    const problems = [...scan.problems]
    let done = 0
    let wait: Promise<void> | undefined
    if (pool) {
      await pool.broadcast({ type: 'configure', format: format === 'jsonl' ? 'jsonl' : 'csv', columns: { conditionKeys: scan.conditionKeys, participantExtraKeys: scan.participantExtraKeys, labels: scan.labels } })
      const files = scan.discussionIds.map((id) => ({ id, discussion: workspace.discussions.pathOf(id), journal: workspace.annotations.linkedPath(id) }))
      const batches: Promise<WrittenBatch>[] = []
      const launch = (): void => {
        const start = batches.length * WRITE_BATCH
        if (start >= files.length) return
        const batch = pool.request({ type: 'write', files: files.slice(start, start + WRITE_BATCH) }).then((reply) => expectReply(reply, 'written').batch)
        batch.catch(() => undefined) // awaited below, in order
        batches.push(batch)
      }
      const released: Uint8Array[] = []
      const release = (chunk: Uint8Array): void => void released.push(chunk)
      for (let i = 0; i < BATCHES_IN_FLIGHT; i++) launch()
      for (let next = 0; next < batches.length; next++) {
        const batch = await batches[next]!
        delete batches[next] // its bytes can go once written
        launch()
        for (const { name, rows } of batch.tables) {
          if ((wait = writers.get(name)!.writeEncodedRows!(rows.chunks, rows.rows, release))) await wait
        }
        // Chunks the files are done with go back to the workers to be filled again.
        pool.recycle(transferList(released.splice(0)))
        for (const { annotator, count } of batch.annotators) scan.annotators.add(annotator, count)
        problems.push(...batch.problems)
        options.onProgress?.({ phase: 'write', done: (done += batch.discussions), total: scan.discussionIds.length })
      }
    } else {
      const write = discussionRowsWriter(scan, (name) => writers.get(name)!, scan.annotators)
      for await (const item of readDiscussionsWithAnnotations(workspace, {
        discussionIds: scan.discussionIds,
        cache: new ValidatedRecordCache(),
        onProblem: (problem) => problems.push(problem)
      })) {
        await write(item)
        options.onProgress?.({ phase: 'write', done: ++done, total: scan.discussionIds.length })
      }
    }
    const put = rowPutter(writers)
    for (const annotation of scan.unlinked) {
      if ((wait = put(specs.annotations, { annotation, annotatorId: scan.annotators.idOf(annotation.annotator) }))) await wait
    }
    const annotatorsSpec = exportTableSpecs({ ...scan, annotatorExtraKeys: annotatorExtraKeys(scan.annotators) }).annotators
    definitions[order.indexOf(specs.annotators)] = tableDefinition(annotatorsSpec as TableSpec<never>)
    open(tableDefinition(annotatorsSpec as TableSpec<never>))
    for (const row of scan.annotators.list()) if ((wait = put(annotatorsSpec, row))) await wait
    const tables: ExportTablesResult['tables'] = []
    let closed = 0
    for (const definition of definitions) {
      options.onProgress?.({ phase: 'finish', done: closed, total: definitions.length })
      const writer = writers.get(definition.name)!
      const result = await writer.close()
      writers.delete(definition.name)
      tables.push({ name: definition.name, ...result })
      closed += 1
    }
    options.onProgress?.({ phase: 'finish', done: closed, total: closed })
    const dictionary = await writeDataDictionary(options.outFolder, definitions)
    return { folder: options.outFolder, format, tables, dataDictionary: dictionary, problems }
  } finally {
    for (const writer of writers.values()) await writer.abort()
    await parquet?.close()
  }
}

function expectReply<T extends ExportWorkerReply['type']>(reply: ExportWorkerReply, type: T): Extract<ExportWorkerReply, { type: T }> {
  if (reply.type !== type) throw new Error(`export worker answered "${reply.type}" where "${type}" was expected`)
  return reply as Extract<ExportWorkerReply, { type: T }>
}

/** Writes one row of a table; returns a promise only when the file stream is behind, so most rows cost no await. */
function rowPutter(writers: ReadonlyMap<string, TableWriter> | ((name: string) => TableWriter)) {
  const writerOf = typeof writers === 'function' ? writers : (name: string) => writers.get(name)!
  return <C>(spec: TableSpec<C>, context: C): Promise<void> | undefined => {
    const row = new Array<CellValue>(spec.columns.length)
    for (let i = 0; i < spec.columns.length; i++) row[i] = spec.columns[i]!.get(context)
    return writerOf(spec.name).writeRow(row)
  }
}

/** The tables written row by row from each discussion (all but the annotators table), in file order. */
export function exportedTableSpecs(columns: Pick<ExportScan, 'conditionKeys' | 'participantExtraKeys' | 'labels'>): TableDefinition[] {
  const specs = exportTableSpecs({ ...columns, annotatorExtraKeys: [] })
  return [specs.discussions, specs.participants, specs.comments, specs.annotations, specs.sdf_flat].map((spec) => tableDefinition(spec as TableSpec<never>))
}

/**
 * Writes one discussion's rows: the discussions, participants, comments, annotations and
 * SynDisco flat tables, registering each annotation's annotator. Used in this thread and in
 * export workers (with writers to memory), so both write the same bytes.
 */
export function discussionRowsWriter(
  columns: Pick<ExportScan, 'conditionKeys' | 'participantExtraKeys' | 'labels'>,
  writerOf: (table: string) => TableWriter,
  annotators: AnnotatorRegistry
): (item: DiscussionWithAnnotations) => Promise<void> {
  const specs = exportTableSpecs({ ...columns, annotatorExtraKeys: [] })
  const put = rowPutter(writerOf)
  const putFlat = flatRowWriter(specs.sdf_flat, writerOf(specs.sdf_flat.name))
  return async ({ discussion, annotations }) => {
    let wait: Promise<void> | undefined
    if ((wait = put(specs.discussions, { discussion, annotations: annotations.length }))) await wait
    for (const participant of discussion.participants) if ((wait = put(specs.participants, { discussion, participant }))) await wait
    for (const comment of discussion.comments) if ((wait = put(specs.comments, { discussion, comment }))) await wait
    for (const annotation of annotations) {
      if ((wait = put(specs.annotations, { annotation, annotatorId: annotators.idOf(annotation.annotator) }))) await wait
    }
    for (const row of flatRows(discussion, annotations)) if ((wait = putFlat(row))) await wait
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
 * once per annotation of it (or once with empty annotation columns), in log order. message_order
 * follows SynDisco: it steps whenever message_id differs from the previous row's, so identical
 * consecutive texts share a number, as they did there.
 */
export function* flatRows(discussion: Discussion, annotations: readonly Annotation[]): Generator<FlatRow> {
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
    const base = {
      discussion,
      comment,
      speaker,
      userPrompt: speaker ? promptOf(speaker, discussion.context, prompts) : null,
      messageId,
      messageOrder: order
    }
    const commentAnnotations = byComment.get(comment.index)
    if (!commentAnnotations) yield { ...base, annotation: undefined }
    else for (const annotation of commentAnnotations) yield { ...base, annotation }
  }
}
