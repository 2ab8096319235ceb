import { join } from 'node:path'
import type { TextSink } from './memoryTextSink.js'
import { StreamedTextFile } from './streamedTextFile.js'
import type { CellValue, TableDefinition } from './tableColumn.js'
import type { TableWriter } from './tableWriter.js'

/** Writes one JSON object per row into a sink, keys in column order, nulls written out. */
export function jsonlRowEncoder(sink: TextSink, table: TableDefinition): { writeRow(values: readonly CellValue[]): void } {
  // The keys are the same on every row: quote them once.
  const keys = table.columns.map((column) => `${JSON.stringify(column.name)}:`)
  return {
    writeRow(values) {
      let line = '{'
      for (let i = 0; i < values.length; i++) {
        const value = values[i]!
        line += (i === 0 ? '' : ',') + keys[i] + (typeof value === 'number' && !Number.isFinite(value) ? 'null' : JSON.stringify(value))
      }
      sink.write(`${line}}\n`)
    }
  }
}

/** `<folder>/<table>.jsonl`: one JSON object per row, keys in column order, nulls written out. */
export function jsonlTableWriter(folder: string, table: TableDefinition): TableWriter {
  const file = new StreamedTextFile(join(folder, `${table.name}.jsonl`))
  const encoder = jsonlRowEncoder(file, table)
  let rows = 0
  return {
    table,
    writeRow(values: readonly CellValue[]) {
      rows += 1
      encoder.writeRow(values)
      return file.ready()
    },
    writeEncodedRows(chunks: readonly Uint8Array[], count: number, release: (chunk: Uint8Array) => void) {
      rows += count
      for (const chunk of chunks) file.writeOwned(chunk, () => release(chunk))
      return file.ready()
    },
    async close() {
      await file.close()
      return { file: file.path, rows }
    },
    async abort() {
      await file.close().catch(() => undefined)
    }
  }
}
