import type { Annotation } from '../schema/index.js'
import type { WorkspaceProblem } from '../workspace/jsonCollection.js'
import { csvTableWriter } from './csvTableWriter.js'
import { writeDataDictionary } from './dataDictionary.js'
import { annotatorExtraKeys, type AnnotatorRegistry, type ExportColumnsFound } from './exportScan.js'
import type { ExportTablesOptions, ExportTablesResult, TableFormat } from './exportTables.js'
import { exportTableSpecs, tableDefinition, type TableSpec } from './exportTableSpecs.js'
import { jsonlTableWriter } from './jsonlTableWriter.js'
import { openParquetTableWriters, type ParquetTableWriters } from './parquetTableWriters.js'
import type { CellValue, TableDefinition } from './tableColumn.js'
import type { TableWriter } from './tableWriter.js'

/** Export options once the format is checked and the discussions are listed. */
export type SettledOptions = ExportTablesOptions & { discussionIds: readonly string[] }

/** The files of an export being written, in the requested format. */
export class TableFiles {
  readonly writers = new Map<string, TableWriter>()

  private constructor(
    private readonly format: TableFormat,
    private readonly folder: string,
    private parquet: ParquetTableWriters | undefined
  ) {}

  static async open(format: TableFormat, folder: string): Promise<TableFiles> {
    return new TableFiles(format, folder, format === 'parquet' ? await openParquetTableWriters() : undefined)
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

  writer(name: string): TableWriter {
    return this.writers.get(name)!
  }

  /** Closes the tables in `definitions`' order (Parquet: DuckDB writes each file then). */
  async close(definitions: readonly TableDefinition[], onProgress: ExportTablesOptions['onProgress']): Promise<ExportTablesResult['tables']> {
    const tables: ExportTablesResult['tables'] = []
    for (const definition of definitions) {
      onProgress?.({ phase: 'finish', done: tables.length, total: definitions.length })
      const result = await this.writer(definition.name).close()
      this.writers.delete(definition.name)
      tables.push({ name: definition.name, ...result })
    }
    onProgress?.({ phase: 'finish', done: tables.length, total: tables.length })
    return tables
  }

  /** Closes what is still open (after an error: leaves what was written) and DuckDB. */
  async dispose(): Promise<void> {
    for (const writer of this.writers.values()) await writer.abort()
    this.writers.clear()
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
