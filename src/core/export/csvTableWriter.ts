import { join } from 'node:path'
import { csvField } from './csvField.js'
import type { TextSink } from './memoryTextSink.js'
import { StreamedTextFile } from './streamedTextFile.js'
import type { CellValue, TableDefinition } from './tableColumn.js'
import { EncodedCells, type RowEncoder, type TableWriter } from './tableWriter.js'
import { streamedTableWriter } from './streamedTableWriter.js'

/** Strings at least this long are worth remembering encoded. */
const CACHED_LENGTH = 64
const CACHE_ENTRIES = 4096
const COMMA = 0x2c
const NEWLINE = 0x0a

/** The header row of a table, with its line end. */
export function csvHeader(table: TableDefinition): string {
  return `${table.columns.map((column) => csvField(column.name)).join(',')}\n`
}

/** RFC 4180 rows with LF line ends, as pandas writes them. */
export function csvRowEncoder(sink: TextSink): RowEncoder {
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
  return {
    writeRow(values) {
      sink.write(line(values))
      sink.writeAscii(NEWLINE)
    },
    encodeCells(values) {
      return new EncodedCells(Buffer.from(line(values), 'utf8'), values.length)
    },
    writeRowParts(parts) {
      for (let i = 0; i < parts.length; i++) {
        if (i > 0) sink.writeAscii(COMMA)
        const part = parts[i]!
        if (part instanceof EncodedCells) sink.writeBytes(part.bytes)
        else sink.write(line(part))
      }
      sink.writeAscii(NEWLINE)
    }
  }
}

/** `<folder>/<table>.csv`: UTF-8, header row, RFC 4180 quoting, LF line ends (as pandas writes them). */
export function csvTableWriter(folder: string, table: TableDefinition): TableWriter {
  const file = new StreamedTextFile(join(folder, `${table.name}.csv`))
  const encoder = csvRowEncoder(file)
  file.write(csvHeader(table))
  return streamedTableWriter(file, table, encoder)
}
