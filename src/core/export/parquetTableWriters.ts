import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { csvTableWriter } from './csvTableWriter.js'
import type { TableDefinition } from './tableColumn.js'
import type { TableWriter } from './tableWriter.js'

export interface ParquetTableWriters {
  writer(folder: string, table: TableDefinition): TableWriter
  /** Closes DuckDB and removes its scratch folder. */
  close(): Promise<void>
}

/**
 * Smaller row groups than DuckDB's default (122,880 rows) because the writer holds a whole group
 * per thread in memory, and a group of the flat table's ~1.3 KB rows would be 160 MB.
 */
const ROW_GROUP_ROWS = 16_384

/** DuckDB's default max_line_size (2 MB) would reject a comment or prompt longer than that. */
const MAX_LINE_BYTES = 8 * 1024 * 1024

/**
 * Parquet through DuckDB: each table is streamed to a scratch CSV (the CSV writer's RFC 4180
 * output, where null is an empty field and "" an empty string), then
 * `COPY (SELECT * FROM read_csv(…, columns = {…})) TO 'x.parquet' (FORMAT parquet)` with every
 * column's declared type, so integers are BIGINT, floats DOUBLE, flags BOOLEAN. DuckDB converts in
 * a streaming pass within its memory limit. (Appending the rows through DuckDB's appender instead
 * measured slower and held 1–2 GB for 600,000 annotations, as the appended data stays in memory
 * until the transaction ends.) DuckDB is loaded only here, so other exports never load its
 * native module.
 */
export async function openParquetTableWriters(options: { memoryLimit?: string; threads?: number } = {}): Promise<ParquetTableWriters> {
  const { DuckDBInstance } = await import('@duckdb/node-api')
  const scratch = await mkdtemp(join(tmpdir(), 'sdf-export-'))
  let instance: DuckDBInstance | undefined
  let connection: DuckDBConnection | undefined
  try {
    instance = await DuckDBInstance.create(':memory:', {
      memory_limit: options.memoryLimit ?? '256MB',
      threads: String(options.threads ?? 2),
      temp_directory: join(scratch, 'spill'),
      preserve_insertion_order: 'true'
    })
    connection = await instance.connect()
  } catch (error) {
    instance?.closeSync()
    await rm(scratch, { recursive: true, force: true })
    throw error
  }
  const db = connection
  const open = instance
  return {
    writer: (folder, table) => parquetTableWriter(db, scratch, folder, table),
    async close() {
      db.closeSync()
      open.closeSync()
      await rm(scratch, { recursive: true, force: true })
    }
  }
}

function parquetTableWriter(connection: DuckDBConnection, scratch: string, folder: string, table: TableDefinition): TableWriter {
  const csv = csvTableWriter(scratch, table)
  const file = join(folder, `${table.name}.parquet`)
  return {
    table,
    writeRow: (values) => csv.writeRow(values),
    encodeCells: (values, firstColumn) => csv.encodeCells!(values, firstColumn),
    writeRowParts: (parts) => csv.writeRowParts!(parts),
    writeEncodedRows: (chunks, rows, release) => csv.writeEncodedRows!(chunks, rows, release),
    async close() {
      const { file: csvFile, rows } = await csv.close()
      const columns = table.columns.map((column) => `${quoteString(column.name)}: ${quoteString(column.type)}`).join(', ')
      await connection.run(
        `COPY (SELECT * FROM read_csv(${quoteString(csvFile)}, header = true, delim = ',', quote = '"', escape = '"', ` +
          `allow_quoted_nulls = false, auto_detect = false, max_line_size = ${MAX_LINE_BYTES}, ` +
          `buffer_size = ${2 * MAX_LINE_BYTES}, columns = {${columns}})) TO ${quoteString(file)} (FORMAT parquet, ROW_GROUP_SIZE ${ROW_GROUP_ROWS})`
      )
      await rm(csvFile, { force: true })
      return { file, rows }
    },
    async abort() {
      await csv.abort()
    }
  }
}

function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`
}
