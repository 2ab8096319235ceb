import { hash } from 'node:crypto'
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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
import {
  AnnotatorRegistry,
  annotatorExtraKeys,
  columnsFound,
  ExportScanAccumulator,
  scanForExport,
  type ExportColumnsFound
} from './exportScan.js'
import { exportTableSpecs, tableDefinition, type FlatRow, type TableSpec } from './exportTableSpecs.js'
import { flatRowWriter } from './flatRowWriter.js'
import type { ExportWorkerReply, WrittenBatch } from './exportWorkerProtocol.js'
import { defaultExportWorkers, ExportWorkerError, ExportWorkerPool } from './exportWorkerPool.js'
import { jsonlTableWriter } from './jsonlTableWriter.js'
import { transferList } from './memoryTextSink.js'
import { openParquetTableWriters, type ParquetTableWriters } from './parquetTableWriters.js'
import { StreamedTextFile } from './streamedTextFile.js'
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

/** Below this many discussions starting workers (about 0.2 s, half of it bundling the worker from source) does not pay. */
const WORKERS_FROM_DISCUSSIONS = 1000
/** Discussions per batch handed to a worker, and batches in flight (bounds memory: ~5 MB of rows each). */
const WRITE_BATCH = 50
const BATCHES_IN_FLIGHT = 6
/** The tables whose columns depend on the data: the single pass spools their rows until it knows the columns. */
const DEFERRED_TABLES: ReadonlySet<string> = new Set(['discussions', 'participants', 'annotations'])

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

type SettledOptions = ExportTablesOptions & { discussionIds: readonly string[] }

/** The files of an export being written, in the requested format. */
class TableFiles {
  readonly writers = new Map<string, TableWriter>()

  private constructor(
    private readonly format: TableFormat,
    private readonly folder: string,
    private parquet: ParquetTableWriters | undefined
  ) {}

  static async open(format: TableFormat, folder: string): Promise<TableFiles> {
    return new TableFiles(format, folder, format === 'parquet' ? await openParquetTableWriters() : undefined)
  }

  open(definition: TableDefinition): TableWriter {
    const writer =
      this.format === 'csv'
        ? csvTableWriter(this.folder, definition)
        : this.format === 'jsonl'
          ? jsonlTableWriter(this.folder, definition)
          : this.parquet!.writer(this.folder, definition)
    this.writers.set(definition.name, writer)
    return writer
  }

  writer(name: string): TableWriter {
    return this.writers.get(name)!
  }

  /** Closes the tables in `definitions`' order (Parquet: DuckDB writes each file then). */
  async close(definitions: readonly TableDefinition[], onProgress: ExportTablesOptions['onProgress']): Promise<ExportTablesResult['tables']> {
    const tables: ExportTablesResult['tables'] = []
    for (const definition of definitions) {
      onProgress?.({ phase: 'finish', done: tables.length, total: definitions.length })
      const result = await this.writer(definition.name).close()
      this.writers.delete(definition.name)
      tables.push({ name: definition.name, ...result })
    }
    onProgress?.({ phase: 'finish', done: tables.length, total: tables.length })
    return tables
  }

  /** Closes what is still open (after an error: leaves what was written) and DuckDB. */
  async dispose(): Promise<void> {
    for (const writer of this.writers.values()) await writer.abort()
    this.writers.clear()
    const parquet = this.parquet
    this.parquet = undefined
    await parquet?.close()
  }
}

/**
 * The end of both ways: the unlinked annotations, then the annotators table (its columns are the
 * persona attributes of the annotators the rows named), every file closed, the data dictionary.
 */
async function finishExport(
  files: TableFiles,
  options: SettledOptions,
  columns: ExportColumnsFound,
  annotators: AnnotatorRegistry,
  unlinked: readonly Annotation[],
  problems: WorkspaceProblem[]
): Promise<ExportTablesResult> {
  const specs = exportTableSpecs({ ...columns, annotatorExtraKeys: annotatorExtraKeys(annotators) })
  const put = rowPutter((name) => files.writer(name))
  let wait: Promise<void> | undefined
  for (const annotation of unlinked) {
    if ((wait = put(specs.annotations, { annotation, annotatorId: annotators.idOf(annotation.annotator) }))) await wait
  }
  files.open(tableDefinition(specs.annotators as TableSpec<never>))
  for (const row of annotators.list()) if ((wait = put(specs.annotators, row))) await wait
  const definitions = [specs.discussions, specs.participants, specs.comments, specs.annotations, specs.annotators, specs.sdf_flat].map((spec) =>
    tableDefinition(spec as TableSpec<never>)
  )
  const tables = await files.close(definitions, options.onProgress)
  const dictionary = await writeDataDictionary(options.outFolder, definitions)
  await files.dispose() // closes DuckDB
  return { folder: options.outFolder, format: options.format, tables, dataDictionary: dictionary, problems }
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
    for (const spec of Object.values(exportTableSpecs({ ...scan, annotatorExtraKeys: [] }))) {
      if (spec.name !== 'annotators') files.open(tableDefinition(spec as TableSpec<never>))
    }
    const problems = [...scan.problems]
    const write = discussionRowsWriter(scan, (name) => files.writer(name), scan.annotators)
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

/** Where a batch's rows of a deferred table are in its spool file. */
interface SpooledRows {
  offset: number
  bytes: number
  rows: number
}

/**
 * With export workers, in one pass: the workers read, validate and encode batches of discussions
 * and learn the data-dependent columns as they go (each batch is encoded with every column known
 * when it was, its own included); this thread writes the comments and flat tables straight to
 * their files in batch order, and spools the three tables with data-dependent columns. Once every
 * batch is in, the columns are known: those tables are written from the spools, except batches
 * encoded with fewer columns than the final ones (a condition, a label or an attribute first seen
 * later, a label whose type changed), which a worker reads and encodes again.
 */
async function exportInOnePass(workspace: Workspace, options: SettledOptions, wholeWorkspace: boolean, pool: ExportWorkerPool): Promise<ExportTablesResult> {
  const encoding = options.format === 'jsonl' ? 'jsonl' : 'csv'
  const found = new ExportScanAccumulator()
  const problems: WorkspaceProblem[] = []
  const unlinked = wholeWorkspace ? await workspace.annotations.listUnlinked() : { annotations: [], problems: [] }
  for (const annotation of unlinked.annotations) found.seeValues(annotation.values)
  for (const problem of unlinked.problems) problems.push({ file: problem.file, message: `line ${problem.line}: ${problem.message}` })
  const batches: DiscussionFiles[][] = []
  for (let start = 0; start < options.discussionIds.length; start += WRITE_BATCH) {
    batches.push(
      options.discussionIds.slice(start, start + WRITE_BATCH).map((id) => ({ id, discussion: workspace.discussions.pathOf(id), journal: workspace.annotations.linkedPath(id) }))
    )
  }
  const annotators = new AnnotatorRegistry()
  const scratch = await mkdtemp(join(tmpdir(), 'sdf-export-spool-'))
  const spools = new Map([...DEFERRED_TABLES].map((name) => [name, { file: new StreamedTextFile(join(scratch, `${name}.spool`)), bytes: 0 }]))
  const files = await TableFiles.open(options.format, options.outFolder)
  try {
    const staticSpecs = exportTableSpecs({ conditionKeys: [], participantExtraKeys: [], labels: [], annotatorExtraKeys: [] })
    for (const spec of [staticSpecs.comments, staticSpecs.sdf_flat]) files.open(tableDefinition(spec as TableSpec<never>))
    const encodedWith: (string | undefined)[] = []
    const spooled: Map<string, SpooledRows>[] = []
    let done = 0
    await inBatchOrder(
      pool,
      batches.length,
      (index) => pool.request({ type: 'write', format: encoding, files: batches[index]!, known: found.partial() }).then(expectWritten),
      async (batch, index, release) => {
        const where = new Map<string, SpooledRows>()
        for (const { name, rows } of batch.tables) {
          const spool = spools.get(name)
          let wait: Promise<void> | undefined
          if (spool) {
            const bytes = rows.chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0)
            where.set(name, { offset: spool.bytes, bytes, rows: rows.rows })
            spool.bytes += bytes
            for (const chunk of rows.chunks) spool.file.writeOwned(chunk, () => release(chunk))
            wait = spool.file.ready()
          } else wait = files.writer(name).writeEncodedRows!(rows.chunks, rows.rows, release)
          if (wait) await wait
        }
        spooled[index] = where
        encodedWith[index] = batch.stale ? undefined : JSON.stringify(batch.columns)
        found.merge(batch.seen)
        for (const { annotator, count } of batch.annotators) annotators.add(annotator, count)
        problems.push(...batch.problems)
        options.onProgress?.({ phase: 'write', done: (done += batch.discussions), total: options.discussionIds.length })
      }
    )
    for (const spool of spools.values()) await spool.file.close()
    const columns = columnsFound(found.partial())
    const finalKey = JSON.stringify(columns)
    const specs = exportTableSpecs({ ...columns, annotatorExtraKeys: [] })
    for (const spec of [specs.discussions, specs.participants, specs.annotations]) files.open(tableDefinition(spec as TableSpec<never>))
    const handles = new Map(await Promise.all([...DEFERRED_TABLES].map(async (name) => [name, await open(join(scratch, `${name}.spool`), 'r')] as const)))
    try {
      await inBatchOrder(
        pool,
        batches.length,
        async (index): Promise<Pick<WrittenBatch, 'tables'>> => {
          if (encodedWith[index] !== finalKey) {
            return expectWritten(await pool.request({ type: 'rewrite', format: encoding, files: batches[index]!, columns, tables: [...DEFERRED_TABLES] }))
          }
          const tables = await Promise.all(
            [...spooled[index]!].map(async ([name, { offset, bytes, rows }]) => {
              const chunk = Buffer.allocUnsafeSlow(bytes)
              await handles.get(name)!.read(chunk, 0, bytes, offset)
              return { name, rows: { chunks: [chunk], rows } }
            })
          )
          return { tables }
        },
        async (batch, _index, release) => {
          for (const { name, rows } of batch.tables) {
            const wait = files.writer(name).writeEncodedRows!(rows.chunks, rows.rows, release)
            if (wait) await wait
          }
        }
      )
    } finally {
      for (const handle of handles.values()) await handle.close()
    }
    return await finishExport(files, options, columns, annotators, unlinked.annotations, problems)
  } finally {
    await files.dispose()
    for (const spool of spools.values()) await spool.file.close().catch(() => undefined)
    await rm(scratch, { recursive: true, force: true })
  }
}

/**
 * Runs `start(i)` for batches 0…count-1, a few at a time, and hands their results to `consume` in
 * batch order. Chunks `consume` releases (written to a file) go back to the workers to be filled again.
 */
async function inBatchOrder<T>(
  pool: ExportWorkerPool,
  count: number,
  start: (index: number) => Promise<T>,
  consume: (batch: T, index: number, release: (chunk: Uint8Array) => void) => Promise<void>
): Promise<void> {
  const pending: Promise<T>[] = []
  const launch = (): void => {
    const index = pending.length
    if (index >= count) return
    const result = start(index)
    result.catch(() => undefined) // awaited below, in order
    pending.push(result)
  }
  const released: Uint8Array[] = []
  const release = (chunk: Uint8Array): void => void released.push(chunk)
  for (let i = 0; i < BATCHES_IN_FLIGHT; i++) launch()
  for (let next = 0; next < count; next++) {
    const batch = await pending[next]!
    delete pending[next] // its bytes can go once written
    launch()
    await consume(batch, next, release)
    pool.recycle(transferList(released.splice(0)))
  }
}

function expectWritten(reply: ExportWorkerReply): WrittenBatch {
  if (reply.type !== 'written') throw new Error(`export worker answered "${reply.type}" where "written" was expected`)
  return reply.batch
}

/** Writes one row of a table; returns a promise only when the file stream is behind, so most rows cost no await. */
function rowPutter(writerOf: (name: string) => TableWriter) {
  return <C>(spec: TableSpec<C>, context: C): Promise<void> | undefined => {
    const row = new Array<CellValue>(spec.columns.length)
    for (let i = 0; i < spec.columns.length; i++) row[i] = spec.columns[i]!.get(context)
    return writerOf(spec.name).writeRow(row)
  }
}

/** The tables written row by row from each discussion (all but the annotators table), in file order. */
export function exportedTableSpecs(columns: ExportColumnsFound): TableDefinition[] {
  const specs = exportTableSpecs({ ...columns, annotatorExtraKeys: [] })
  return [specs.discussions, specs.participants, specs.comments, specs.annotations, specs.sdf_flat].map((spec) => tableDefinition(spec as TableSpec<never>))
}

/**
 * Writes one discussion's rows: the discussions, participants, comments, annotations and
 * SynDisco flat tables (those `writerOf` has a writer for), registering each annotation's
 * annotator. Used in this thread and in export workers (with writers to memory), so both write
 * the same bytes.
 */
export function discussionRowsWriter(
  columns: ExportColumnsFound,
  writerOf: (table: string) => TableWriter | undefined,
  annotators: AnnotatorRegistry
): (item: DiscussionWithAnnotations) => Promise<void> {
  const specs = exportTableSpecs({ ...columns, annotatorExtraKeys: [] })
  const put = rowPutter((name) => writerOf(name)!)
  const flatWriter = writerOf(specs.sdf_flat.name)
  const putFlat = flatWriter && flatRowWriter(specs.sdf_flat, flatWriter)
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
    if (putFlat) for (const row of flatRows(discussion, annotations)) if ((wait = putFlat(row))) await wait
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
