import type { Annotation } from '../schema/index.js'
import type { WorkspaceProblem } from '../workspace/jsonCollection.js'
import { csvTableWriter } from './csvTableWriter.js'
import { writeDataDictionary } from './dataDictionary.js'
import { annotatorExtraKeys, type AnnotatorRegistry, type ExportColumnsFound } from './exportScan.js'
import type { ExportTablesOptions, ExportTablesResult, TableFormat } from './exportTables.js'
import { exportTableSpecs, tableDefinition, type FlatRow, type TableSpec } from './exportTableSpecs.js'
import type { RowsEncoding } from './exportWorkerProtocol.js'
import { jsonlTableWriter } from './jsonlTableWriter.js'
import { openParquetTableWriters, type ParquetTableWriters } from './parquetTableWriters.js'
import type { CellValue, TableDefinition } from './tableColumn.js'
import type { TableWriter } from './tableWriter.js'

/** Export options once the format is checked and the discussions are listed. */
export type SettledOptions = ExportTablesOptions & { discussionIds: readonly string[] }

/** The files of an export being written, in the requested format. */
export class TableFiles {
  readonly writers = new Map<string, TableWriter>()
  private readonly closing = new Map<string, Promise<{ file: string; rows: number }>>()

  private constructor(
    private readonly format: TableFormat,
    private readonly folder: string,
    private parquet: ParquetTableWriters | undefined
  ) {}

  static async open(format: TableFormat, folder: string): Promise<TableFiles> {
    return new TableFiles(format, folder, format === 'parquet' ? await openParquetTableWriters() : undefined)
  }

  /** How export workers encode rows for these files. */
  get rowsEncoding(): RowsEncoding {
    return { format: this.format === 'jsonl' ? 'jsonl' : 'csv', flatByComment: this.format === 'parquet' }
  }

  open(definition: TableDefinition): TableWriter {
    const writer =
      this.format === 'csv'
        ? csvTableWriter(this.folder, definition)
        : this.format === 'jsonl'
          ? jsonlTableWriter(this.folder, definition)
          : this.parquet!.writer(this.folder, definition)
    this.writers.set(definition.name, writer)
    return writer
  }

  /**
   * SynDisco's flat table. Parquet takes its rows in the by-comment layout (`rowsEncoding`) and
   * looks the annotators' cells up in `annotators`, complete by the time the file is closed.
   */
  openFlat(spec: TableSpec<FlatRow>, annotators: AnnotatorRegistry): TableWriter {
    if (!this.parquet) return this.open(tableDefinition(spec as TableSpec<never>))
    const writer = this.parquet.flatWriter(this.folder, spec, annotators)
    this.writers.set(spec.name, writer)
    return writer
  }

  writer(name: string): TableWriter {
    return this.writers.get(name)!
  }

  /**
   * Starts finishing a table whose rows are all written: for Parquet, DuckDB converts it while
   * the export goes on with the other tables. `close` waits for it.
   */
  finish(name: string): void {
    if (this.closing.has(name)) return
    const closed = this.writer(name).close()
    closed.catch(() => undefined) // awaited by close(), or settled by dispose()
    this.closing.set(name, closed)
  }

  /** Finishes every table (Parquet: DuckDB converts them side by side); returns them in `definitions`' order. */
  async close(definitions: readonly TableDefinition[], onProgress: ExportTablesOptions['onProgress']): Promise<ExportTablesResult['tables']> {
    onProgress?.({ phase: 'finish', done: 0, total: definitions.length })
    for (const definition of definitions) this.finish(definition.name)
    let done = 0
    const results = await Promise.all(
      definitions.map(async (definition) => {
        const result = await this.closing.get(definition.name)!
        onProgress?.({ phase: 'finish', done: ++done, total: definitions.length })
        return { name: definition.name, ...result }
      })
    )
    for (const definition of definitions) {
      this.writers.delete(definition.name)
      this.closing.delete(definition.name)
    }
    return results
  }

  /** Closes what is still open (after an error: leaves what was written) and DuckDB. */
  async dispose(): Promise<void> {
    // A table being finished is left to finish: DuckDB must not be closed under a running query.
    await Promise.allSettled(this.closing.values())
    for (const [name, writer] of this.writers) if (!this.closing.has(name)) await writer.abort()
    this.writers.clear()
    this.closing.clear()
    const parquet = this.parquet
    this.parquet = undefined
    await parquet?.close()
  }
}

/**
 * The end of both ways: the unlinked annotations, then the annotators table (its columns are the
 * persona attributes of the annotators the rows named), every file closed, the data dictionary.
 */
export async function finishExport(
  files: TableFiles,
  options: SettledOptions,
  columns: ExportColumnsFound,
  annotators: AnnotatorRegistry,
  unlinked: readonly Annotation[],
  problems: WorkspaceProblem[]
): Promise<ExportTablesResult> {
  const specs = exportTableSpecs({ ...columns, annotatorExtraKeys: annotatorExtraKeys(annotators) })
  const put = rowPutter((name) => files.writer(name))
  let wait: Promise<void> | undefined
  for (const annotation of unlinked) {
    if ((wait = put(specs.annotations, { annotation, annotatorId: annotators.idOf(annotation.annotator) }))) await wait
  }
  files.open(tableDefinition(specs.annotators as TableSpec<never>))
  for (const row of annotators.list()) if ((wait = put(specs.annotators, row))) await wait
  const definitions = [specs.discussions, specs.participants, specs.comments, specs.annotations, specs.annotators, specs.sdf_flat].map((spec) =>
    tableDefinition(spec as TableSpec<never>)
  )
  const tables = await files.close(definitions, options.onProgress)
  const dictionary = await writeDataDictionary(options.outFolder, definitions)
  await files.dispose() // closes DuckDB
  return { folder: options.outFolder, format: options.format, tables, dataDictionary: dictionary, problems }
}

/** Writes one row of a table; returns a promise only when the file stream is behind, so most rows cost no await. */
export function rowPutter(writerOf: (name: string) => TableWriter) {
  return <C>(spec: TableSpec<C>, context: C): Promise<void> | undefined => {
    const row = new Array<CellValue>(spec.columns.length)
    for (let i = 0; i < spec.columns.length; i++) row[i] = spec.columns[i]!.get(context)
    return writerOf(spec.name).writeRow(row)
  }
}
