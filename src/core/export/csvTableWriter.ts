import { join } from 'node:path'
import { csvField } from './csvField.js'
import { StreamedTextFile } from './streamedTextFile.js'
import type { CellValue, TableDefinition } from './tableColumn.js'
import { EncodedCells, type RowPart, type TableWriter } from './tableWriter.js'

/** Strings at least this long are worth remembering encoded. */
const CACHED_LENGTH = 64
const CACHE_ENTRIES = 4096
const COMMA = 0x2c
const NEWLINE = 0x0a

/** `<folder>/<table>.csv`: UTF-8, header row, RFC 4180 quoting, LF line ends (as pandas writes them). */
export function csvTableWriter(folder: string, table: TableDefinition): TableWriter {
  const file = new StreamedTextFile(join(folder, `${table.name}.csv`))
  // The flat table repeats long texts row after row (the comment for each of its annotations, the
  // speaker's prompt, the annotator's prompt); each is quoted and escaped once, not every time.
  const encoded = new Map<string, string>()
  const field = (value: CellValue): string => {
    if (typeof value !== 'string' || value.length < CACHED_LENGTH) return csvField(value)
    let text = encoded.get(value)
    if (text === undefined) {
      if (encoded.size >= CACHE_ENTRIES) encoded.clear()
      encoded.set(value, (text = csvField(value)))
    }
    return text
  }
  // join() builds one flat string; `+=` would build a rope that Buffer.write must flatten first.
  const line = (values: readonly CellValue[]): string => {
    const fields = new Array<string>(values.length)
    for (let i = 0; i < values.length; i++) fields[i] = field(values[i]!)
    return fields.join(',')
  }
  let rows = 0
  file.write(`${table.columns.map((column) => csvField(column.name)).join(',')}\n`)
  return {
    table,
    writeRow(values: readonly CellValue[]) {
      rows += 1
      file.write(line(values))
      file.writeAscii(NEWLINE)
      return file.ready()
    },
    encodeCells(values: readonly CellValue[]) {
      return new EncodedCells(Buffer.from(line(values), 'utf8'), values.length)
    },
    writeRowParts(parts: readonly RowPart[]) {
      rows += 1
      for (let i = 0; i < parts.length; i++) {
        if (i > 0) file.writeAscii(COMMA)
        const part = parts[i]!
        if (part instanceof EncodedCells) file.writeBytes(part.bytes)
        else file.write(line(part))
      }
      file.writeAscii(NEWLINE)
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
