import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import type { CellValue, TableDefinition } from './tableColumn.js'
import type { TableWriter } from './tableWriter.js'

export interface ParquetTableWriters {
  writer(folder: string, table: TableDefinition): Promise<TableWriter>
  /** Closes DuckDB and removes its scratch database. */
  close(): Promise<void>
}

/**
 * Parquet through DuckDB: rows go through DuckDB's appender (in data chunks of 2,048) into a
 * table whose columns have the declared types, then `COPY … TO 'x.parquet' (FORMAT parquet)`.
 * The scratch database lives in a temporary folder on disk with a memory limit, so DuckDB spills
 * to disk instead of holding 600,000 annotations in memory. DuckDB is loaded only here, so the
 * CSV and JSONL exports (and everything else) never load its native module.
 */
export async function openParquetTableWriters(options: { memoryLimit?: string; threads?: number } = {}): Promise<ParquetTableWriters> {
  const { DuckDBInstance } = await import('@duckdb/node-api')
  const scratch = await mkdtemp(join(tmpdir(), 'sdf-export-'))
  let instance: DuckDBInstance | undefined
  let connection: DuckDBConnection | undefined
  try {
    instance = await DuckDBInstance.create(join(scratch, 'export.duckdb'), {
      memory_limit: options.memoryLimit ?? '512MB',
      threads: String(options.threads ?? 2),
      temp_directory: join(scratch, 'spill')
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
    writer: (folder, table) => parquetTableWriter(db, folder, table),
    async close() {
      db.closeSync()
      open.closeSync()
      await rm(scratch, { recursive: true, force: true })
    }
  }
}

async function parquetTableWriter(connection: DuckDBConnection, folder: string, table: TableDefinition): Promise<TableWriter> {
  const { DuckDBDataChunkWriter, JSToDuckDBValueConverter } = await import('@duckdb/node-api')
  const name = quoteIdentifier(table.name)
  await connection.run(
    `CREATE OR REPLACE TABLE ${name} (${table.columns.map((column) => `${quoteIdentifier(column.name)} ${column.type}`).join(', ')})`
  )
  const appender = await connection.createAppender(table.name)
  const chunks = DuckDBDataChunkWriter.forAppender(appender, { converter: JSToDuckDBValueConverter })
  const file = join(folder, `${table.name}.parquet`)
  let rows = 0
  return {
    table,
    writeRow(values: readonly CellValue[]) {
      rows += 1
      chunks.appendRow(values)
      return undefined
    },
    async close() {
      chunks.flush()
      appender.closeSync()
      await connection.run(`COPY ${name} TO ${quoteString(file)} (FORMAT parquet)`)
      await connection.run(`DROP TABLE ${name}`)
      return { file, rows }
    },
    async abort() {
      try {
        appender.closeSync()
      } catch {
        // the appender may be the thing that failed
      }
      await connection.run(`DROP TABLE IF EXISTS ${name}`).catch(() => undefined)
    }
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`
}
