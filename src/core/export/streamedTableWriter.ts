import type { StreamedTextFile } from './streamedTextFile.js'
import type { CellValue, TableDefinition } from './tableColumn.js'
import type { RowEncoder, RowPart, TableWriter } from './tableWriter.js'

/**
 * A text-file table writer over its format's row encoder (CSV or JSONL): it counts rows, takes
 * rows an export worker encoded, splices encoded cells, and waits for the file to drain.
 */
export function streamedTableWriter(file: StreamedTextFile, table: TableDefinition, encoder: RowEncoder): TableWriter {
  let rows = 0
  return {
    table,
    writeRow(values: readonly CellValue[]) {
      rows += 1
      encoder.writeRow(values)
      return file.ready()
    },
    encodeCells: (values: readonly CellValue[], firstColumn: number) => encoder.encodeCells(values, firstColumn),
    writeRowParts(parts: readonly RowPart[]) {
      rows += 1
      encoder.writeRowParts(parts)
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
