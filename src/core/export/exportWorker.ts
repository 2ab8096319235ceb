// An export worker thread's entry (started by ExportWorkerPool): reads, validates and encodes
// batches of discussions for `exportTables`, which writes the bytes to the files in order.
import { parentPort } from 'node:worker_threads'
import { ValidatedRecordCache } from '../analysis/dataset/readAnnotationJournal.js'
import { readDiscussionFiles } from '../analysis/dataset/readDiscussionsWithAnnotations.js'
import { AnnotatorRegistry, columnsFound, ExportScanAccumulator, type ExportColumnsFound } from './exportScan.js'
import { discussionRowsWriter, exportedTableSpecs } from './exportTables.js'
import type { ExportWorkerMessage, ExportWorkerReply, ExportWorkerRequest, RowsEncoding, WrittenBatch } from './exportWorkerProtocol.js'
import { memoryTableWriter } from './memoryTableWriter.js'
import { ChunkPool, transferList } from './memoryTextSink.js'

const port = parentPort
if (!port) throw new Error('exportWorker.ts is a worker thread entry; start it with ExportWorkerPool')

// Shared by every batch, so each distinct annotator is validated once per worker.
const cache = new ValidatedRecordCache()
// Chunks the exporting thread has copied to its files come back here to be filled again.
const chunks = new ChunkPool()
// Every column this worker has learnt of, so later batches start from what earlier ones found.
const seen = new ExportScanAccumulator()

port.on('message', (message: ExportWorkerMessage) => {
  if (message.type === 'recycle') return chunks.give(message.buffers)
  const request = message
  void handle(request).then(
    ({ reply, transfer }) => port.postMessage(reply, transfer),
    (error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error))
      const reply: ExportWorkerReply = { type: 'failed', id: request.id, message: failure.message, ...(failure.stack ? { stack: failure.stack } : {}) }
      port.postMessage(reply)
    }
  )
})

async function handle(request: ExportWorkerRequest): Promise<{ reply: ExportWorkerReply; transfer: ArrayBuffer[] }> {
  const observer = request.type === 'write' ? seen : undefined
  if (request.type === 'write') seen.merge(request.known)
  // Each discussion is encoded as soon as it is read, so its objects die young (holding a batch
  // of them for later made the collector copy them to the old generation: 10% more time). The
  // data-dependent columns are those known when the batch starts; a discussion that shows a new
  // one makes the batch stale, and the export has it encoded again with the final columns.
  const columns = request.type === 'write' ? columnsFound(seen.partial()) : request.columns
  const version = seen.version
  const encoder = encoderFor(columns, request.encoding, request.type === 'rewrite' ? request.tables : undefined)
  const problems: WrittenBatch['problems'] = []
  for (const files of request.files) {
    const result = readDiscussionFiles(files, cache, observer)
    problems.push(...result.problems)
    if (result.item) await encoder.write(result.item)
  }
  const batch: WrittenBatch = {
    ...encoder.take(),
    columns,
    stale: seen.version !== version,
    seen: seen.partial(),
    problems,
    discussions: request.files.length
  }
  return { reply: { type: 'written', id: request.id, batch }, transfer: batch.tables.flatMap((table) => transferList(table.rows.chunks)) }
}

let lastEncoder: { key: string; encoder: ReturnType<typeof rowsEncoder> } | undefined

/** The encoder of the previous batch when it has the same columns (nearly always): its caches stay warm. */
function encoderFor(columns: ExportColumnsFound, encoding: RowsEncoding, only: readonly string[] | undefined): ReturnType<typeof rowsEncoder> {
  const key = JSON.stringify([columns, encoding, only ?? null])
  if (lastEncoder?.key !== key) lastEncoder = { key, encoder: rowsEncoder(columns, encoding, only && new Set(only)) }
  return lastEncoder.encoder
}

/** Encodes discussions' rows into memory, for the tables in `only` (default: all). */
function rowsEncoder(columns: ExportColumnsFound, { format, flatByComment }: RowsEncoding, only: ReadonlySet<string> | undefined) {
  const writers = exportedTableSpecs(columns, flatByComment)
    .filter((table) => !only || only.has(table.name))
    .map((table) => memoryTableWriter(table, format, chunks))
  const byName = new Map(writers.map((writer) => [writer.table.name, writer]))
  const annotators = new AnnotatorRegistry()
  return {
    // Memory writers never ask to wait: each write resolves at once.
    write: discussionRowsWriter(columns, (name) => byName.get(name), annotators, flatByComment),
    /** The batch's rows and annotators; the next batch starts afresh. */
    take(): Pick<WrittenBatch, 'tables' | 'annotators'> {
      const taken = {
        tables: writers.map((writer) => ({ name: writer.table.name, rows: writer.take() })),
        annotators: annotators.list().map(({ annotator, count }) => ({ annotator, count }))
      }
      annotators.clear()
      return taken
    }
  }
}
