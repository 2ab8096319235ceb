import type { StreamedTextFile } from './streamedTextFile.js'
import type { CellValue, TableDefinition } from './tableColumn.js'
import type { TableWriter } from './tableWriter.js'

/**
 * The parts of a text-file table writer that do not depend on its format: it counts rows, takes
 * rows an export worker encoded, and waits for the file to drain. `countRow` is for the format's own
 * extra row methods.
 */
export function streamedTableWriter(
  file: StreamedTextFile,
  table: TableDefinition,
  encoder: { writeRow(values: readonly CellValue[]): void }
): TableWriter & { countRow(): Promise<void> | undefined } {
  let rows = 0
  return {
    table,
    countRow() {
      rows += 1
      return file.ready()
    },
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
