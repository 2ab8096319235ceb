import { join } from 'node:path'
import type { TextSink } from './memoryTextSink.js'
import { StreamedTextFile } from './streamedTextFile.js'
import type { CellValue, TableDefinition } from './tableColumn.js'
import { streamedTableWriter } from './streamedTableWriter.js'
import { EncodedCells, type RowEncoder, type TableWriter } from './tableWriter.js'

const COMMA = 0x2c
const OPEN = 0x7b
const CLOSE = 0x7d
const NEWLINE = 0x0a

/**
 * Writes one JSON object per row into a sink, keys in column order, nulls written out. Runs of
 * cells can be encoded once (`"key":value` pairs) and spliced into many rows, as the flat table's
 * writer does with each comment's cells.
 */
export function jsonlRowEncoder(sink: TextSink, table: TableDefinition): RowEncoder {
  // The keys are the same on every row: quote them once.
  const keys = table.columns.map((column) => `${JSON.stringify(column.name)}:`)
  const pairs = (values: readonly CellValue[], firstColumn: number): string => {
    let text = ''
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!
      text += (i === 0 ? '' : ',') + keys[firstColumn + i] + (typeof value === 'number' && !Number.isFinite(value) ? 'null' : JSON.stringify(value))
    }
    return text
  }
  return {
    writeRow(values) {
      sink.write(`{${pairs(values, 0)}}\n`)
    },
    encodeCells(values, firstColumn) {
      return new EncodedCells(Buffer.from(pairs(values, firstColumn), 'utf8'), values.length)
    },
    writeRowParts(parts) {
      sink.writeAscii(OPEN)
      let column = 0
      for (let i = 0; i < parts.length; i++) {
        if (i > 0) sink.writeAscii(COMMA)
        const part = parts[i]!
        if (part instanceof EncodedCells) {
          sink.writeBytes(part.bytes)
          column += part.count
        } else {
          sink.write(pairs(part, column))
          column += part.length
        }
      }
      sink.writeAscii(CLOSE)
      sink.writeAscii(NEWLINE)
    }
  }
}

/** `<folder>/<table>.jsonl`: one JSON object per row, keys in column order, nulls written out. */
export function jsonlTableWriter(folder: string, table: TableDefinition): TableWriter {
  const file = new StreamedTextFile(join(folder, `${table.name}.jsonl`))
  const encoder = jsonlRowEncoder(file, table)
  return streamedTableWriter(file, table, encoder)
}
