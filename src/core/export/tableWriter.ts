import type { CellValue, TableDefinition } from './tableColumn.js'

/**
 * Receives a table's rows one at a time, values in column order. `writeRow` returns a promise
 * only when the caller must wait (the file stream is full), so writing 600,000 rows does not cost
 * 600,000 awaits.
 */
export interface TableWriter {
  readonly table: TableDefinition
  writeRow(values: readonly CellValue[]): Promise<void> | undefined
  /** Finishes the file; returns its path and row count. */
  close(): Promise<{ file: string; rows: number }>
  /** Stops early (after an error): closes the file, leaves whatever was written. */
  abort(): Promise<void>
}
