import { csvRowEncoder } from './csvTableWriter.js'
import { jsonlRowEncoder } from './jsonlTableWriter.js'
import { MemoryTextSink, type ChunkPool } from './memoryTextSink.js'
import type { CellValue, TableDefinition } from './tableColumn.js'
import { talliedRowEncoder, type EncodedRows, type RowPart, type TableWriter } from './tableWriter.js'

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
  const tally = talliedRowEncoder(format === 'jsonl' ? jsonlRowEncoder(sink, table) : csvRowEncoder(sink), sink)
  return {
    table,
    // Memory never makes the writer wait.
    writeRow: (values: readonly CellValue[]) => void tally.writeRow(values),
    encodeCells: (values: readonly CellValue[], firstColumn: number) => tally.encodeCells(values, firstColumn),
    writeRowParts: (parts: readonly RowPart[]) => void tally.writeRowParts(parts),
    take(): EncodedRows {
      const encoded = { chunks: sink.take(), rows: tally.rows, longestRow: tally.longestRow }
      tally.rows = 0
      tally.longestRow = 0
      return encoded
    },
    close: async () => ({ file: '', rows: tally.rows }),
    abort: async () => undefined
  }
}
