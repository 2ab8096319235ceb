import { mkdtemp, rm } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { csvHeader, csvTableWriter } from './csvTableWriter.js'
import type { AnnotatorRegistry } from './exportScan.js'
import { tableDefinition, type FlatRow, type TableSpec } from './exportTableSpecs.js'
import {
  FLAT_ANNOTATOR_ORDINAL_COLUMN,
  FLAT_ROW_ANNOTATOR_KEY,
  FLAT_ROWS_COLUMN,
  flatAnnotatorsDefinition,
  flatByCommentDefinition,
  flatColumns,
  flatRowCellKey,
  writeFlatAnnotators
} from './flatByComment.js'
import type { StreamedTableWriter } from './streamedTableWriter.js'
import type { TableColumn, TableDefinition } from './tableColumn.js'
import type { TableWriter } from './tableWriter.js'

export interface ParquetTableWriters {
  writer(folder: string, table: TableDefinition): TableWriter
  /** SynDisco's flat table: takes rows in the by-comment layout (`flatByCommentWriter`). */
  flatWriter(folder: string, spec: TableSpec<FlatRow>, annotators: AnnotatorRegistry): TableWriter
  /** Closes DuckDB and removes its scratch folder. */
  close(): Promise<void>
}

/**
 * Smaller row groups than DuckDB's default (122,880 rows) because the writer holds a whole group
 * per thread in memory, and a group of the flat table's ~1.3 KB rows would be 160 MB.
 */
const ROW_GROUP_ROWS = 16_384

/**
 * DuckDB reads a CSV in buffers, and each buffer is a batch that its ordered Parquet writer must
 * finish in turn: with 16 MB buffers the flat table's conversion ran on about one core, with
 * 2 MB ones on both (5.4 s against 4.2 s; annotations 1.5 s against 0.5 s). A buffer must hold
 * more than the longest row, so the writers measure it.
 */
const BUFFER_BYTES = 2 * 1024 * 1024
const MIN_LINE_BYTES = 1024 * 1024

/**
 * Parquet through DuckDB: each table is streamed to a scratch CSV (the CSV writer's RFC 4180
 * output, where null is an empty field and "" an empty string), then
 * `COPY (SELECT * FROM read_csv(…, columns = {…})) TO 'x.parquet' (FORMAT parquet)` with every
 * column's declared type, so integers are BIGINT, floats DOUBLE, flags BOOLEAN. DuckDB converts in
 * a streaming pass within its memory limit, keeping the rows' order. (Appending the rows through
 * DuckDB's appender instead measured slower and held 1–2 GB for 600,000 annotations, as the
 * appended data stays in memory until the transaction ends.) DuckDB is loaded only here, so other
 * exports never load its native module.
 */
export async function openParquetTableWriters(options: { memoryLimit?: string; threads?: number } = {}): Promise<ParquetTableWriters> {
  const { DuckDBInstance } = await import('@duckdb/node-api')
  const scratch = await mkdtemp(join(tmpdir(), 'sdf-export-'))
  let instance: DuckDBInstance
  try {
    instance = await DuckDBInstance.create(':memory:', {
      memory_limit: options.memoryLimit ?? '256MB',
      threads: String(options.threads ?? availableParallelism()),
      temp_directory: join(scratch, 'spill'),
      preserve_insertion_order: 'true'
    })
  } catch (error) {
    await rm(scratch, { recursive: true, force: true })
    throw error
  }
  const open = instance
  // A connection per conversion, so that tables finished together convert side by side.
  const withConnection = async <T>(use: (db: DuckDBConnection) => Promise<T>): Promise<T> => {
    const db = await open.connect()
    try {
      return await use(db)
    } finally {
      db.closeSync()
    }
  }
  return {
    writer: (folder, table) => {
      const file = join(folder, `${table.name}.parquet`)
      return parquetTableWriter(table, scratch, table, (csv) =>
        withConnection(async (db) => {
          const copied = await db.run(`COPY (SELECT * FROM ${readCsv(csv)}) TO ${quoteString(file)} ${PARQUET_OPTIONS}`)
          return { file, rows: copied.rowsChanged }
        })
      )
    },
    flatWriter: (folder, spec, annotators) => {
      const file = join(folder, `${spec.name}.parquet`)
      const definition = flatByCommentDefinition(spec)
      return parquetTableWriter(definition, scratch, tableDefinition(spec as TableSpec<never>), (csv) =>
        withConnection(async (db) => ({ file, rows: await copyFlatByComment(db, scratch, spec, annotators, csv, file) }))
      )
    },
    async close() {
      open.closeSync()
      await rm(scratch, { recursive: true, force: true })
    }
  }
}

const PARQUET_OPTIONS = `(FORMAT parquet, ROW_GROUP_SIZE ${ROW_GROUP_ROWS})`

/** A scratch CSV for DuckDB to read: where it is, its columns, and the bytes of its longest line. */
interface ScratchCsv {
  file: string
  columns: readonly TableColumn[]
  longestLine: number
}

/**
 * Writes rows of `layout` to a scratch CSV and, at close, has `convert` make the Parquet file of
 * it (returning the file and the rows DuckDB wrote); the writer presents itself as `table`, the
 * table the Parquet file holds.
 */
function parquetTableWriter(
  layout: TableDefinition,
  scratch: string,
  table: TableDefinition,
  convert: (csv: ScratchCsv) => Promise<{ file: string; rows: number }>
): TableWriter {
  const csv = csvTableWriter(scratch, layout)
  return {
    table,
    writeRow: (values) => csv.writeRow(values),
    encodeCells: (values, firstColumn) => csv.encodeCells!(values, firstColumn),
    writeRowParts: (parts) => csv.writeRowParts!(parts),
    writeEncodedRows: (encoded, release) => csv.writeEncodedRows!(encoded, release),
    async close() {
      const { file: csvFile } = await csv.close()
      const written = await convert(scratchCsv(csvFile, csv, layout))
      await rm(csvFile, { force: true })
      return written
    },
    async abort() {
      await csv.abort()
    }
  }
}

function scratchCsv(file: string, csv: StreamedTableWriter, layout: TableDefinition): ScratchCsv {
  return { file, columns: layout.columns, longestLine: Math.max(csv.longestRow, Buffer.byteLength(csvHeader(layout))) }
}

/** `read_csv(…)` of a scratch CSV with every column's type given (nothing sniffed). */
function readCsv({ file, columns, longestLine }: ScratchCsv): string {
  const maxLine = Math.max(MIN_LINE_BYTES, longestLine + 1)
  const buffer = Math.max(BUFFER_BYTES, 2 * maxLine)
  const types = columns.map((column) => `${quoteString(column.name)}: ${quoteString(column.type)}`).join(', ')
  return (
    `read_csv(${quoteString(file)}, header = true, delim = ',', quote = '"', escape = '"', ` +
    `allow_quoted_nulls = false, auto_detect = false, max_line_size = ${maxLine}, buffer_size = ${buffer}, columns = {${types}})`
  )
}

/**
 * Expands the by-comment layout into the flat table's rows, in order: each comment's rows are
 * unnested from its JSON cell (a projection of one table, so DuckDB keeps the order), and each
 * row's annotator cells are looked up by position in a list of the annotators, the position
 * coming from an ENUM of their keys (a hash lookup; a join would not keep the order).
 */
async function copyFlatByComment(
  db: DuckDBConnection,
  scratch: string,
  spec: TableSpec<FlatRow>,
  annotators: AnnotatorRegistry,
  csv: ScratchCsv,
  file: string
): Promise<number> {
  const columns = flatColumns(spec)
  const annotatorsTable = flatAnnotatorsDefinition(spec)
  const annotatorsCsv = csvTableWriter(scratch, annotatorsTable)
  const keys = await writeFlatAnnotators(spec, annotators, annotatorsCsv)
  const { file: annotatorsFile } = await annotatorsCsv.close()
  const row = 'sdf_flat_row'
  const annotator = 'sdf_flat_annotator'
  const rowStructure = JSON.stringify({
    [FLAT_ROW_ANNOTATOR_KEY]: 'VARCHAR',
    ...Object.fromEntries(columns.row.map((column, index) => [flatRowCellKey(index), column.type]))
  })
  const cells = spec.columns.map((column) => {
    const name = quoteIdentifier(column.name)
    if (columns.comment.includes(column)) return name
    const rowIndex = columns.row.indexOf(column)
    if (rowIndex >= 0) return `${row}.${quoteIdentifier(flatRowCellKey(rowIndex))} AS ${name}`
    return keys.length === 0 ? `NULL::${column.type} AS ${name}` : `${annotator}.${name} AS ${name}`
  })
  const variable = 'sdf_flat_annotators'
  try {
    let lookup = ''
    if (keys.length > 0) {
      const fields = columns.annotator.map((column) => `${quoteString(column.name)}: ${quoteIdentifier(column.name)}`).join(', ')
      await db.run(
        `SET VARIABLE ${variable} = (SELECT list({${fields}} ORDER BY ${quoteIdentifier(FLAT_ANNOTATOR_ORDINAL_COLUMN)}) ` +
          `FROM ${readCsv(scratchCsv(annotatorsFile, annotatorsCsv, annotatorsTable))})`
      )
      const keyType = `ENUM(${keys.map(quoteString).join(', ')})`
      lookup = `, getvariable('${variable}')[enum_code(${row}.${FLAT_ROW_ANNOTATOR_KEY}::${keyType}) + 1] AS ${annotator}`
    }
    const unnested =
      `SELECT * EXCLUDE (${quoteIdentifier(FLAT_ROWS_COLUMN)}), ` +
      `unnest(from_json(${quoteIdentifier(FLAT_ROWS_COLUMN)}, ${quoteString(`[${rowStructure}]`)})) AS ${row} ` +
      `FROM ${readCsv(csv)}`
    const copied = await db.run(`COPY (SELECT ${cells.join(', ')} FROM (SELECT *${lookup} FROM (${unnested}))) TO ${quoteString(file)} ${PARQUET_OPTIONS}`)
    return copied.rowsChanged
  } finally {
    if (keys.length > 0) await db.run(`RESET VARIABLE ${variable}`).catch(() => undefined)
    await rm(annotatorsFile, { force: true })
  }
}

function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}
