import { join } from 'node:path'
import { StreamedTextFile } from './streamedTextFile.js'
import type { CellValue, TableDefinition } from './tableColumn.js'
import type { TableWriter } from './tableWriter.js'

/** `<folder>/<table>.jsonl`: one JSON object per row, keys in column order, nulls written out. */
export function jsonlTableWriter(folder: string, table: TableDefinition): TableWriter {
  const file = new StreamedTextFile(join(folder, `${table.name}.jsonl`))
  // The keys are the same on every row: quote them once.
  const keys = table.columns.map((column) => `${JSON.stringify(column.name)}:`)
  let rows = 0
  return {
    table,
    writeRow(values: readonly CellValue[]) {
      rows += 1
      let line = '{'
      for (let i = 0; i < values.length; i++) {
        const value = values[i]!
        line += (i === 0 ? '' : ',') + keys[i] + (typeof value === 'number' && !Number.isFinite(value) ? 'null' : JSON.stringify(value))
      }
      file.write(`${line}}\n`)
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
