import type { StreamedTextFile } from './streamedTextFile.js'
import type { CellValue, TableDefinition } from './tableColumn.js'
import type { EncodedRows, RowEncoder, RowPart, TableWriter } from './tableWriter.js'

/** A table writer to a text file, which also knows its longest row (DuckDB must be told it to read the file). */
export interface StreamedTableWriter extends TableWriter {
  /** Bytes of the longest row written, its line end included. */
  readonly longestRow: number
}

/**
 * A text-file table writer over its format's row encoder (CSV or JSONL): it counts rows, takes
 * rows an export worker encoded, splices encoded cells, and waits for the file to drain.
 */
export function streamedTableWriter(file: StreamedTextFile, table: TableDefinition, encoder: RowEncoder): StreamedTableWriter {
  let rows = 0
  let longestRow = 0
  return {
    table,
    get longestRow() {
      return longestRow
    },
    writeRow(values: readonly CellValue[]) {
      rows += 1
      const start = file.size
      encoder.writeRow(values)
      if (file.size - start > longestRow) longestRow = file.size - start
      return file.ready()
    },
    encodeCells: (values: readonly CellValue[], firstColumn: number) => encoder.encodeCells(values, firstColumn),
    writeRowParts(parts: readonly RowPart[]) {
      rows += 1
      const start = file.size
      encoder.writeRowParts(parts)
      if (file.size - start > longestRow) longestRow = file.size - start
      return file.ready()
    },
    writeEncodedRows(encoded: EncodedRows, release: (chunk: Uint8Array) => void) {
      rows += encoded.rows
      if (encoded.longestRow > longestRow) longestRow = encoded.longestRow
      for (const chunk of encoded.chunks) file.writeOwned(chunk, () => release(chunk))
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
