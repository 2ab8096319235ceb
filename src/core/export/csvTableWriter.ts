import { join } from 'node:path'
import { csvField } from './csvField.js'
import type { TextSink } from './memoryTextSink.js'
import { StreamedTextFile } from './streamedTextFile.js'
import type { CellValue, TableDefinition } from './tableColumn.js'
import { EncodedCells, type RowEncoder } from './tableWriter.js'
import { streamedTableWriter, type StreamedTableWriter } from './streamedTableWriter.js'

const COMMA = 0x2c
const NEWLINE = 0x0a

/** The header row of a table, with its line end. */
export function csvHeader(table: TableDefinition): string {
  return `${table.columns.map((column) => csvField(column.name)).join(',')}\n`
}

/** RFC 4180 rows with LF line ends, as pandas writes them. */
export function csvRowEncoder(sink: TextSink): RowEncoder {
  // No cache of encoded texts: the flat table's repeated cells are spliced (EncodedCells), and
  // remembering the others kept thousands of long strings alive into the old generation, which
  // made an export slower, not faster.
  // join() builds one flat string; `+=` would build a rope that Buffer.write must flatten first.
  const line = (values: readonly CellValue[]): string => {
    const fields = new Array<string>(values.length)
    for (let i = 0; i < values.length; i++) fields[i] = csvField(values[i]!)
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
export function csvTableWriter(folder: string, table: TableDefinition): StreamedTableWriter {
  const file = new StreamedTextFile(join(folder, `${table.name}.csv`))
  const encoder = csvRowEncoder(file)
  file.write(csvHeader(table))
  return streamedTableWriter(file, table, encoder)
}
