import type { TextSink } from './memoryTextSink.js'
import type { CellValue, TableDefinition } from './tableColumn.js'

/**
 * Cells a writer encoded once (for CSV: their bytes, commas between them) so that rows repeating
 * them copy bytes instead of encoding the same text again. SynDisco's flat table repeats each
 * comment's ~900 bytes (its text, the speaker's prompt and traits) on the row of every annotation
 * of it, and each annotator's prompt on every row it labelled.
 */
export class EncodedCells {
  constructor(
    readonly bytes: Buffer,
    readonly count: number
  ) {}
}

/** A table's rows encoded by an export worker: bytes in order, how many rows they hold, and the longest row's bytes. */
export interface EncodedRows {
  chunks: Uint8Array[]
  rows: number
  longestRow: number
}

/** A run of a row's cells: encoded earlier, or values to encode now. */
export type RowPart = EncodedCells | readonly CellValue[]

/** Writes rows into a sink in a table file's format (CSV rows without the header, or JSONL lines): the part of a table writer that encodes. */
export interface RowEncoder {
  writeRow(values: readonly CellValue[]): void
  /** A run of cells encoded for reuse; `firstColumn` is the column of its first cell (JSONL writes each cell's key). */
  encodeCells(values: readonly CellValue[], firstColumn: number): EncodedCells
  writeRowParts(parts: readonly RowPart[]): void
}

/** A row encoder that also counts the rows it writes and measures the longest (bytes, line end included). */
export interface TalliedRowEncoder extends RowEncoder {
  rows: number
  longestRow: number
}

export function talliedRowEncoder(encoder: RowEncoder, sink: TextSink): TalliedRowEncoder {
  const tally: TalliedRowEncoder = {
    rows: 0,
    longestRow: 0,
    writeRow(values) {
      const start = sink.size
      encoder.writeRow(values)
      counted(start)
    },
    encodeCells: (values, firstColumn) => encoder.encodeCells(values, firstColumn),
    writeRowParts(parts) {
      const start = sink.size
      encoder.writeRowParts(parts)
      counted(start)
    }
  }
  const counted = (start: number): void => {
    tally.rows += 1
    if (sink.size - start > tally.longestRow) tally.longestRow = sink.size - start
  }
  return tally
}

/**
 * Receives a table's rows one at a time, values in column order. `writeRow` returns a promise
 * only when the caller must wait (the file stream is full), so writing 600,000 rows does not cost
 * 600,000 awaits.
 */
export interface TableWriter {
  readonly table: TableDefinition
  writeRow(values: readonly CellValue[]): Promise<void> | undefined
  /**
   * Optional, for writers that can splice pre-encoded cells: `encodeCells` encodes a run of cells
   * for reuse (`firstColumn`: the column of its first cell, which JSONL names with each cell's key),
   * `writeRowParts` writes a row from runs in column order (every run non-empty).
   */
  encodeCells?(values: readonly CellValue[], firstColumn: number): EncodedCells
  writeRowParts?(parts: readonly RowPart[]): Promise<void> | undefined
  /**
   * Optional, for writers that take rows an export worker encoded in this writer's format (CSV
   * rows without the header, or JSONL lines): their bytes in order, how many rows they hold and the
   * longest row's bytes. The chunks are the writer's until it calls `release` with each, once written.
   */
  writeEncodedRows?(encoded: EncodedRows, release: (chunk: Uint8Array) => void): Promise<void> | undefined
  /** Finishes the file; returns its path and row count. */
  close(): Promise<{ file: string; rows: number }>
  /** Stops early (after an error): closes the file, leaves whatever was written. */
  abort(): Promise<void>
}
