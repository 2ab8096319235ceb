import { join } from 'node:path'
import { csvField } from './csvField.js'
import { StreamedTextFile } from './streamedTextFile.js'
import type { CellValue, TableDefinition } from './tableColumn.js'
import type { TableWriter } from './tableWriter.js'

/** `<folder>/<table>.csv`: UTF-8, header row, RFC 4180 quoting, CRLF-free (LF line ends as pandas writes). */
export function csvTableWriter(folder: string, table: TableDefinition): TableWriter {
  const file = new StreamedTextFile(join(folder, `${table.name}.csv`))
  let rows = 0
  file.write(`${table.columns.map((column) => csvField(column.name)).join(',')}\n`)
  return {
    table,
    writeRow(values: readonly CellValue[]) {
      rows += 1
      let line = ''
      for (let i = 0; i < values.length; i++) line += (i === 0 ? '' : ',') + csvField(values[i]!)
      file.write(`${line}\n`)
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
