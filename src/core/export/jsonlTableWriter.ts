import { join } from 'node:path'
import type { TextSink } from './memoryTextSink.js'
import { StreamedTextFile } from './streamedTextFile.js'
import type { CellValue, TableDefinition } from './tableColumn.js'
import { streamedTableWriter } from './streamedTableWriter.js'
import type { TableWriter } from './tableWriter.js'

/** Writes one JSON object per row into a sink, keys in column order, nulls written out. */
export function jsonlRowEncoder(sink: TextSink, table: TableDefinition): { writeRow(values: readonly CellValue[]): void } {
  // The keys are the same on every row: quote them once.
  const keys = table.columns.map((column) => `${JSON.stringify(column.name)}:`)
  return {
    writeRow(values) {
      let line = '{'
      for (let i = 0; i < values.length; i++) {
        const value = values[i]!
        line += (i === 0 ? '' : ',') + keys[i] + (typeof value === 'number' && !Number.isFinite(value) ? 'null' : JSON.stringify(value))
      }
      sink.write(`${line}}\n`)
    }
  }
}

/** `<folder>/<table>.jsonl`: one JSON object per row, keys in column order, nulls written out. */
export function jsonlTableWriter(folder: string, table: TableDefinition): TableWriter {
  const file = new StreamedTextFile(join(folder, `${table.name}.jsonl`))
  return streamedTableWriter(file, table, jsonlRowEncoder(file, table))
}
