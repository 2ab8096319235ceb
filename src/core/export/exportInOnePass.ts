import { mkdtemp, open, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DiscussionFiles } from '../analysis/dataset/readDiscussionsWithAnnotations.js'
import type { WorkspaceProblem } from '../workspace/jsonCollection.js'
import type { Workspace } from '../workspace/workspace.js'
import { AnnotatorRegistry, columnsFound, ExportScanAccumulator } from './exportScan.js'
import type { ExportTablesResult } from './exportTables.js'
import { exportTableSpecs, tableDefinition, type TableSpec } from './exportTableSpecs.js'
import type { ExportWorkerReply, WrittenBatch } from './exportWorkerProtocol.js'
import type { ExportWorkerPool } from './exportWorkerPool.js'
import { transferList } from './memoryTextSink.js'
import { StreamedTextFile } from './streamedTextFile.js'
import { finishExport, TableFiles, type SettledOptions } from './tableFiles.js'

/**
 * Discussions per batch handed to a worker, and batches in flight per worker, at least six in all
 * (bounds memory: ~5 MB of rows each). The batches are written in order, so a worker whose batch
 * is done early needs another one queued to go on with.
 */
const WRITE_BATCH = 50
const BATCHES_PER_WORKER = 2
const LEAST_BATCHES_IN_FLIGHT = 6
/** The tables whose columns depend on the data: the single pass spools their rows until it knows the columns. */
const DEFERRED_TABLES: ReadonlySet<string> = new Set(['discussions', 'participants', 'annotations'])

/** Where a batch's rows of a deferred table are in its spool file. */
interface SpooledRows {
  offset: number
  bytes: number
  rows: number
  longestRow: number
}

/**
 * With export workers, in one pass: the workers read, validate and encode batches of discussions
 * and learn the data-dependent columns as they go (each batch is encoded with the columns known
 * when it starts); this thread writes the comments and flat tables straight to their files in
 * batch order, and spools the three tables with data-dependent columns. Once every batch is in,
 * the columns are known: those tables are written from the spools, except batches encoded with
 * fewer columns than the final ones (a condition, a label or an attribute first seen in or after
 * them, a label whose type changed), which a worker reads and encodes again.
 */
export async function exportInOnePass(workspace: Workspace, options: SettledOptions, wholeWorkspace: boolean, pool: ExportWorkerPool): Promise<ExportTablesResult> {
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
  let files: TableFiles | undefined
  try {
    files = await TableFiles.open(options.format, options.outFolder)
    const output = files
    const encoding = output.rowsEncoding
    const staticSpecs = exportTableSpecs({ conditionKeys: [], participantExtraKeys: [], labels: [], annotatorExtraKeys: [] })
    output.open(tableDefinition(staticSpecs.comments as TableSpec<never>))
    output.openFlat(staticSpecs.sdf_flat, annotators)
    const encodedWith: (string | undefined)[] = []
    const spooled: Map<string, SpooledRows>[] = []
    let done = 0
    await inBatchOrder(
      pool,
      batches.length,
      (index) => pool.request({ type: 'write', encoding, files: batches[index]!, known: found.partial() }).then(expectWritten),
      async (batch, index, release) => {
        const where = new Map<string, SpooledRows>()
        for (const { name, rows } of batch.tables) {
          const spool = spools.get(name)
          let wait: Promise<void> | undefined
          if (spool) {
            const bytes = rows.chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0)
            where.set(name, { offset: spool.bytes, bytes, rows: rows.rows, longestRow: rows.longestRow })
            spool.bytes += bytes
            for (const chunk of rows.chunks) spool.file.writeOwned(chunk, () => release(chunk))
            wait = spool.file.ready()
          } else wait = output.writer(name).writeEncodedRows!(rows, release)
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
    // Every comment and flat row is written: DuckDB can convert those tables meanwhile (Parquet).
    output.finish(staticSpecs.comments.name)
    output.finish(staticSpecs.sdf_flat.name)
    for (const spool of spools.values()) await spool.file.close()
    const columns = columnsFound(found.partial())
    const finalKey = JSON.stringify(columns)
    const specs = exportTableSpecs({ ...columns, annotatorExtraKeys: [] })
    for (const spec of [specs.discussions, specs.participants, specs.annotations]) output.open(tableDefinition(spec as TableSpec<never>))
    const handles = new Map(await Promise.all([...DEFERRED_TABLES].map(async (name) => [name, await open(join(scratch, `${name}.spool`), 'r')] as const)))
    try {
      await inBatchOrder(
        pool,
        batches.length,
        async (index): Promise<Pick<WrittenBatch, 'tables'>> => {
          if (encodedWith[index] !== finalKey) {
            return expectWritten(await pool.request({ type: 'rewrite', encoding, files: batches[index]!, columns, tables: [...DEFERRED_TABLES] }))
          }
          const tables = await Promise.all(
            [...spooled[index]!].map(async ([name, { offset, bytes, rows, longestRow }]) => {
              const chunk = Buffer.allocUnsafeSlow(bytes)
              await handles.get(name)!.read(chunk, 0, bytes, offset)
              return { name, rows: { chunks: [chunk], rows, longestRow } }
            })
          )
          return { tables }
        },
        async (batch, _index, release) => {
          for (const { name, rows } of batch.tables) {
            const wait = output.writer(name).writeEncodedRows!(rows, release)
            if (wait) await wait
          }
        }
      )
    } finally {
      for (const handle of handles.values()) await handle.close()
    }
    return await finishExport(output, options, columns, annotators, unlinked.annotations, problems)
  } finally {
    await files?.dispose()
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
  const inFlight = Math.max(LEAST_BATCHES_IN_FLIGHT, BATCHES_PER_WORKER * pool.size)
  for (let i = 0; i < inFlight; i++) launch()
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
