// An export worker thread's entry (started by ExportWorkerPool): reads, validates and encodes
// batches of discussions for `exportTables`, which writes the bytes to the files in order.
import { parentPort } from 'node:worker_threads'
import { ValidatedRecordCache } from '../analysis/dataset/readAnnotationJournal.js'
import { readDiscussionFiles } from '../analysis/dataset/readDiscussionsWithAnnotations.js'
import { AnnotatorRegistry, ExportScanAccumulator } from './exportScan.js'
import { discussionRowsWriter, exportedTableSpecs } from './exportTables.js'
import type { ExportWorkerMessage, ExportWorkerReply, ExportWorkerRequest, WrittenBatch } from './exportWorkerProtocol.js'
import { memoryTableWriter, type MemoryTableWriter } from './memoryTableWriter.js'
import { ChunkPool, transferList } from './memoryTextSink.js'

const port = parentPort
if (!port) throw new Error('exportWorker.ts is a worker thread entry; start it with ExportWorkerPool')

// Shared by every batch, so each distinct annotator is validated once per worker.
const cache = new ValidatedRecordCache()
// Chunks the exporting thread has copied to its files come back here to be filled again.
const chunks = new ChunkPool()
let configured: { writers: MemoryTableWriter[]; write: ReturnType<typeof discussionRowsWriter>; annotators: AnnotatorRegistry } | undefined

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
  switch (request.type) {
    case 'scan': {
      const found = new ExportScanAccumulator()
      for (const files of request.files) found.seeFiles(files)
      return { reply: { type: 'scanned', id: request.id, scan: found.partial() }, transfer: [] }
    }
    case 'configure': {
      const writers = exportedTableSpecs(request.columns).map((table) => memoryTableWriter(table, request.format, chunks))
      const byName = new Map(writers.map((writer) => [writer.table.name, writer]))
      const annotators = new AnnotatorRegistry()
      configured = { writers, annotators, write: discussionRowsWriter(request.columns, (name) => byName.get(name)!, annotators) }
      return { reply: { type: 'configured', id: request.id }, transfer: [] }
    }
    case 'write': {
      if (!configured) throw new Error('export worker: "write" before "configure"')
      const problems: WrittenBatch['problems'] = []
      for (const files of request.files) {
        const result = readDiscussionFiles(files, cache)
        problems.push(...result.problems)
        // Memory writers never ask to wait: this resolves at once.
        if (result.item) await configured.write(result.item)
      }
      const tables = configured.writers.map((writer) => ({ name: writer.table.name, rows: writer.take() }))
      const annotators = configured.annotators.list().map(({ annotator, count }) => ({ annotator, count }))
      configured.annotators.clear()
      const batch: WrittenBatch = { tables, annotators, problems, discussions: request.files.length }
      return { reply: { type: 'written', id: request.id, batch }, transfer: tables.flatMap((table) => transferList(table.rows.chunks)) }
    }
  }
}
