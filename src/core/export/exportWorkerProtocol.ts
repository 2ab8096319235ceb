import type { DiscussionFiles } from '../analysis/dataset/readDiscussionsWithAnnotations.js'
import type { Annotator } from '../schema/index.js'
import type { WorkspaceProblem } from '../workspace/jsonCollection.js'
import type { PartialExportScan } from './exportScan.js'
import type { EncodedRows } from './memoryTableWriter.js'
import type { ColumnType } from './tableColumn.js'

/**
 * Messages between an export and its worker threads. Both ends are this module's code in one
 * process, and the rows' bytes are transferred, not copied; nothing here comes from a file or a
 * user, so the messages are typed rather than parsed (the workers validate the files they read).
 */
/** Everything a worker is sent: requests, and chunk buffers handed back for reuse (no answer). */
export type ExportWorkerMessage = ExportWorkerRequest | { type: 'recycle'; buffers: ArrayBuffer[] }

export type ExportWorkerRequest =
  | { type: 'scan'; id: number; files: DiscussionFiles[] }
  /** Sent to every worker once the scan is done: the columns, and the format rows are encoded in. */
  | { type: 'configure'; id: number; format: 'csv' | 'jsonl'; columns: ExportColumnsFound }
  | { type: 'write'; id: number; files: DiscussionFiles[] }

/** The data-dependent columns the scan found, as `exportTableSpecs` takes them. */
export interface ExportColumnsFound {
  conditionKeys: string[]
  participantExtraKeys: string[]
  labels: { name: string; type: ColumnType }[]
}

export type ExportWorkerReply =
  | { type: 'scanned'; id: number; scan: PartialExportScan }
  | { type: 'configured'; id: number }
  | { type: 'written'; id: number; batch: WrittenBatch }
  | { type: 'failed'; id: number; message: string; stack?: string }

/** A batch of discussions' rows, encoded, with what the export must also learn from them. */
export interface WrittenBatch {
  /** Per table (by name), the rows' bytes in order. */
  tables: { name: string; rows: EncodedRows }[]
  /** The annotators of the annotations written, with how many each. */
  annotators: { annotator: Annotator; count: number }[]
  /** Files that were not valid, in discussion order. */
  problems: WorkspaceProblem[]
  /** Discussions read, valid or not (for progress). */
  discussions: number
}
