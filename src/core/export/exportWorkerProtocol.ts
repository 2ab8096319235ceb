import type { DiscussionFiles } from '../analysis/dataset/readDiscussionsWithAnnotations.js'
import type { Annotator } from '../schema/index.js'
import type { WorkspaceProblem } from '../workspace/jsonCollection.js'
import type { ExportColumnsFound, PartialExportScan } from './exportScan.js'
import type { EncodedRows } from './tableWriter.js'

/**
 * Messages between an export and its worker threads. Both ends are this module's code in one
 * process, and the rows' bytes are transferred, not copied; nothing here comes from a file or a
 * user, so the messages are typed rather than parsed (the workers validate the files they read).
 */
/** Everything a worker is sent: requests, and chunk buffers handed back for reuse (no answer). */
export type ExportWorkerMessage = ExportWorkerRequest | { type: 'recycle'; buffers: ArrayBuffer[] }

/** How a worker encodes rows: CSV or JSONL, and for Parquet, CSV with SynDisco's flat table in its by-comment layout. */
export interface RowsEncoding {
  format: 'csv' | 'jsonl'
  flatByComment: boolean
}

export type ExportWorkerRequest =
  /**
   * Reads a batch of discussions and encodes every table's rows, the data-dependent columns being
   * those `known` so far plus what the worker has seen itself in earlier batches.
   */
  | { type: 'write'; id: number; encoding: RowsEncoding; files: DiscussionFiles[]; known: PartialExportScan }
  /** Reads a batch again and encodes only `tables`, with the export's final columns. */
  | { type: 'rewrite'; id: number; encoding: RowsEncoding; files: DiscussionFiles[]; columns: ExportColumnsFound; tables: string[] }

export type ExportWorkerReply =
  | { type: 'written'; id: number; batch: WrittenBatch }
  | { type: 'failed'; id: number; message: string; stack?: string }

/** A batch of discussions' rows, encoded, with what the export must also learn from them. */
export interface WrittenBatch {
  /** Per table (by name), the rows' bytes in order. */
  tables: { name: string; rows: EncodedRows }[]
  /** The data-dependent columns the rows were encoded with. */
  columns: ExportColumnsFound
  /** Whether the batch showed columns it was not encoded with (its rows must be encoded again). */
  stale: boolean
  /** Everything the worker has seen so far, this batch included (unvalidated, as the scan sees it). */
  seen: PartialExportScan
  /** The annotators of the annotations written, with how many each. */
  annotators: { annotator: Annotator; count: number }[]
  /** Files that were not valid, in discussion order. */
  problems: WorkspaceProblem[]
  /** Discussions read, valid or not (for progress). */
  discussions: number
}
