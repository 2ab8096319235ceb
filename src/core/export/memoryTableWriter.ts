import { csvRowEncoder } from './csvTableWriter.js'
import { jsonlRowEncoder } from './jsonlTableWriter.js'
import { MemoryTextSink, type ChunkPool } from './memoryTextSink.js'
import type { CellValue, TableDefinition } from './tableColumn.js'
import type { EncodedRows, RowPart, TableWriter } from './tableWriter.js'

export interface MemoryTableWriter extends TableWriter {
  /** The rows written since the last call, to hand to the file's writer (`writeEncodedRows`). */
  take(): EncodedRows
}

/**
 * A table writer that encodes rows into memory instead of a file, exactly as the file writer of
 * the format would (CSV without the header, or JSONL): an export worker's half of a table.
 */
export function memoryTableWriter(table: TableDefinition, format: 'csv' | 'jsonl', chunks?: ChunkPool): MemoryTableWriter {
  const sink = new MemoryTextSink(chunks)
  let rows = 0
  let longestRow = 0
  const take = (): EncodedRows => {
    const encoded = { chunks: sink.take(), rows, longestRow }
    rows = 0
    longestRow = 0
    return encoded
  }
  const done = async (): Promise<{ file: string; rows: number }> => ({ file: '', rows })
  const encoder = format === 'jsonl' ? jsonlRowEncoder(sink, table) : csvRowEncoder(sink)
  return {
    table,
    writeRow(values: readonly CellValue[]) {
      rows += 1
      const start = sink.size
      encoder.writeRow(values)
      if (sink.size - start > longestRow) longestRow = sink.size - start
      return undefined
    },
    encodeCells: (values: readonly CellValue[], firstColumn: number) => encoder.encodeCells(values, firstColumn),
    writeRowParts(parts: readonly RowPart[]) {
      rows += 1
      const start = sink.size
      encoder.writeRowParts(parts)
      if (sink.size - start > longestRow) longestRow = sink.size - start
      return undefined
    },
    take,
    close: done,
    abort: async () => undefined
  }
}
