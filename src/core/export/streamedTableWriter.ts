import type { StreamedTextFile } from './streamedTextFile.js'
import type { CellValue, TableDefinition } from './tableColumn.js'
import { talliedRowEncoder, type EncodedRows, type RowEncoder, type RowPart, type TableWriter } from './tableWriter.js'

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
  const tally = talliedRowEncoder(encoder, file)
  return {
    table,
    get longestRow() {
      return tally.longestRow
    },
    writeRow(values: readonly CellValue[]) {
      tally.writeRow(values)
      return file.ready()
    },
    encodeCells: (values: readonly CellValue[], firstColumn: number) => tally.encodeCells(values, firstColumn),
    writeRowParts(parts: readonly RowPart[]) {
      tally.writeRowParts(parts)
      return file.ready()
    },
    writeEncodedRows(encoded: EncodedRows, release: (chunk: Uint8Array) => void) {
      tally.rows += encoded.rows
      if (encoded.longestRow > tally.longestRow) tally.longestRow = encoded.longestRow
      for (const chunk of encoded.chunks) file.writeOwned(chunk, () => release(chunk))
      return file.ready()
    },
    async close() {
      await file.close()
      return { file: file.path, rows: tally.rows }
    },
    async abort() {
      await file.close().catch(() => undefined)
    }
  }
}
