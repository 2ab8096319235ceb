import { appendFile, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeSyntheticWorkspace } from '../../../bench/lib/syntheticWorkspace.js'
import { exportTables, importIntoWorkspace, Workspace } from '../../../src/core/index.js'
import { SDF_FIXTURES } from '../../helpers/fixtures.js'
import { tempDir } from '../../helpers/tempDir.js'

// The Parquet export writes SynDisco's flat table from a by-comment layout that DuckDB expands
// (src/core/export/flatByComment.ts). Whatever the layout, the Parquet table must hold what the
// CSV table holds: the same rows, in the same order, cell for cell.

interface DictionaryEntry {
  table: string
  column: string
  type: string
}

async function flatTablesOf(workspace: Workspace, workers: number) {
  const csv = await exportTables(workspace, { format: 'csv', outFolder: await tempDir(), workers })
  const parquet = await exportTables(workspace, { format: 'parquet', outFolder: await tempDir(), workers })
  const dictionary = JSON.parse(await readFile(join(csv.folder, 'data_dictionary.json'), 'utf8')) as { columns: DictionaryEntry[] }
  const types = dictionary.columns
    .filter((entry) => entry.table === 'sdf_flat')
    .map((entry) => `'${entry.column}': '${entry.type}'`)
    .join(', ')
  const { DuckDBInstance } = await import('@duckdb/node-api')
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  try {
    const rows = async (sql: string) => (await connection.runAndReadAll(sql)).getRowsJson()
    return {
      csvRows: csv.tables.find((table) => table.name === 'sdf_flat')!.rows,
      parquetRows: parquet.tables.find((table) => table.name === 'sdf_flat')!.rows,
      // DuckDB reads the CSV with the declared types, telling null (empty field) from "" (quoted).
      fromCsv: await rows(
        `SELECT * FROM read_csv('${join(csv.folder, 'sdf_flat.csv')}', header = true, auto_detect = false, allow_quoted_nulls = false, ` +
          `max_line_size = 16777216, buffer_size = 33554432, columns = {${types}})`
      ),
      fromParquet: await rows(`SELECT * FROM read_parquet('${join(parquet.folder, 'sdf_flat.parquet')}')`),
      columns: (await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${join(parquet.folder, 'sdf_flat.parquet')}')`)).getRowObjectsJson()
    }
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
}

describe("the Parquet export's flat table", () => {
  it('holds the rows of the CSV flat table in the same order, cell for cell (in this thread and with workers)', async () => {
    const folder = await tempDir()
    await writeSyntheticWorkspace(folder, { discussions: 60, commentsPerDiscussion: 5, annotators: 3, seed: 5 })
    const workspace = await Workspace.open(folder)
    // SDF's fixtures: comments without annotations, annotators with personas, unlinked annotations.
    expect((await importIntoWorkspace(workspace, [SDF_FIXTURES])).errors).toEqual([])
    for (const workers of [0, 2]) {
      const { csvRows, parquetRows, fromCsv, fromParquet } = await flatTablesOf(workspace, workers)
      expect(parquetRows, `workers: ${workers}`).toBe(csvRows)
      expect(fromParquet).toHaveLength(csvRows)
      expect(fromParquet, `workers: ${workers}`).toEqual(fromCsv)
    }
  }, 120_000)

  it('keeps a 3 MB comment, an annotator first seen late and a lone surrogate as the CSV table does', async () => {
    const folder = await tempDir()
    await writeSyntheticWorkspace(folder, { discussions: 4, commentsPerDiscussion: 4, annotators: 2, seed: 9 })
    const workspace = await Workspace.open(folder)
    const [first, , , last] = await workspace.discussions.ids()
    // Longer than DuckDB's default line (2 MB) and than the reader's buffer: the export must size both.
    const discussionFile = workspace.discussions.pathOf(first!)
    const discussion = JSON.parse(await readFile(discussionFile, 'utf8')) as { comments: { text: string }[] }
    const longText = `${'a long, "quoted" comment\n'.repeat(120_000)}end`
    discussion.comments[1]!.text = longText
    await writeFile(discussionFile, JSON.stringify(discussion))
    // A new annotator in the last discussion only, whose answer holds an unpaired surrogate.
    const journal = workspace.annotations.linkedPath(last!)
    const line = JSON.parse((await readFile(journal, 'utf8')).split('\n')[0]!) as Record<string, unknown> & { annotator: Record<string, unknown> }
    const late = { ...line, id: `${String(line['id'])}-late`, raw_text: 'broken \ud800 text', annotator: { ...line.annotator, name: 'late-annotator', prompt: 'Rate it.' } }
    await appendFile(journal, `${JSON.stringify(late)}\n`)

    for (const workers of [0, 2]) {
      const { fromCsv, fromParquet, columns } = await flatTablesOf(workspace, workers)
      expect(fromParquet, `workers: ${workers}`).toEqual(fromCsv)
      const cells = (name: string) => fromParquet.map((row) => row[columns.findIndex((column) => column['column_name'] === name)])
      expect(cells('message')).toContain(longText)
      expect(cells('annotation')).toContain('broken \ufffd text')
    }
  }, 60_000)

  it('writes empty annotator cells when nothing is annotated', async () => {
    const folder = await tempDir()
    await writeSyntheticWorkspace(folder, { discussions: 3, commentsPerDiscussion: 4, annotators: 0, seed: 2 })
    const { fromCsv, fromParquet, columns } = await flatTablesOf(await Workspace.open(folder), 0)
    expect(fromParquet).toHaveLength(12)
    expect(fromParquet).toEqual(fromCsv)
    const annotatorModel = columns.findIndex((column) => column['column_name'] === 'annotator_model')
    expect(fromParquet.every((row) => row[annotatorModel] === null)).toBe(true)
  }, 60_000)
})
