import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeSyntheticWorkspace } from '../../../bench/lib/syntheticWorkspace.js'
import { ExportWorkerError, ExportWorkerPool } from '../../../src/core/export/exportWorkerPool.js'
import { MemoryTextSink, ChunkPool, CHUNK_BYTES, transferList } from '../../../src/core/export/memoryTextSink.js'
import { exportTables, importIntoWorkspace, Workspace, type ExportTablesResult, type TableFormat } from '../../../src/core/index.js'
import { SDF_FIXTURES } from '../../helpers/fixtures.js'
import { tempDir } from '../../helpers/tempDir.js'

// Enough discussions for several batches on each of two workers, SDF's fixtures for their
// conditions, personas and unlinked annotations, and a broken discussion file and journal line,
// whose problems must be reported alike.
async function mixedWorkspace(folder: string): Promise<Workspace> {
  await writeSyntheticWorkspace(folder, { discussions: 230, commentsPerDiscussion: 6, annotators: 2, seed: 11 })
  const workspace = await Workspace.open(folder)
  const report = await importIntoWorkspace(workspace, [SDF_FIXTURES])
  expect(report.errors).toEqual([])
  const ids = await workspace.discussions.ids()
  await writeFile(workspace.discussions.pathOf(ids[3]!), '{"id": "not closed"')
  await appendFile(workspace.annotations.linkedPath(ids[120]!), '{"id": "half a line"}\n')
  return workspace
}

async function exportWith(workspace: Workspace, format: TableFormat, workers: number): Promise<ExportTablesResult> {
  return exportTables(workspace, { format, outFolder: await tempDir(), workers })
}

async function filesOf(folder: string): Promise<Map<string, Buffer>> {
  const names = (await readdir(folder)).sort()
  return new Map(await Promise.all(names.map(async (name) => [name, await readFile(join(folder, name))] as const)))
}

describe('exporting with worker threads', () => {
  // Shared by the tests here; tempDir() folders go after each test, so this one is made by hand.
  let scratch: string
  let workspace: Workspace
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'sdf-export-workers-test-'))
    workspace = await mixedWorkspace(scratch)
  }, 60_000)
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true })
  })

  for (const format of ['csv', 'jsonl'] as const) {
    it(`writes ${format.toUpperCase()} files identical byte for byte to the single-thread export, and the same problems`, async () => {
      const alone = await exportWith(workspace, format, 0)
      const shared = await exportWith(workspace, format, 2)
      expect(shared.tables.map((table) => table.rows)).toEqual(alone.tables.map((table) => table.rows))
      expect(alone.tables.find((table) => table.name === 'discussions')!.rows).toBeGreaterThan(200)
      expect(shared.problems.map((problem) => problem.message)).toEqual(alone.problems.map((problem) => problem.message))
      expect(alone.problems.map((problem) => problem.message)).toEqual([
        expect.stringContaining('not valid JSON'),
        expect.stringMatching(/line \d+/)
      ])
      const expected = await filesOf(alone.folder)
      const actual = await filesOf(shared.folder)
      expect([...actual.keys()]).toEqual([...expected.keys()])
      for (const [name, bytes] of expected) expect(actual.get(name)!.equals(bytes), name).toBe(true)
    }, 120_000)
  }

  it('writes the same bytes when columns first appear in the last discussions (their batches are encoded again)', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'sdf-export-workers-late-'))
    try {
      await writeSyntheticWorkspace(folder, { discussions: 260, commentsPerDiscussion: 4, annotators: 2, seed: 5 })
      const late = await Workspace.open(folder)
      const last = (await late.discussions.ids()).at(-1)!
      const record = JSON.parse(await readFile(late.discussions.pathOf(last), 'utf8'))
      record.conditions.late_factor = 'on'
      record.participants[0].persona.extra_attributes.late_trait = ['a', 'b']
      await writeFile(late.discussions.pathOf(last), JSON.stringify(record))
      const journal = late.annotations.linkedPath(last)
      const line = JSON.parse((await readFile(journal, 'utf8')).split('\n')[0]!)
      // A new label, and a float where every other toxicity is an integer (BIGINT becomes DOUBLE).
      await appendFile(journal, `${JSON.stringify({ ...line, id: 'late-1', values: { toxicity: 2.5, late_label: 'x' } })}\n`)
      for (const format of ['csv', 'jsonl'] as const) {
        const alone = await exportWith(late, format, 0)
        const shared = await exportWith(late, format, 2)
        const expected = await filesOf(alone.folder)
        const actual = await filesOf(shared.folder)
        expect(expected.get(`discussions.${format}`)!.toString()).toContain('late_factor')
        expect(expected.get(`participants.${format}`)!.toString()).toContain('late_trait')
        expect(expected.get(`annotations.${format}`)!.toString()).toContain('late_label')
        for (const [name, bytes] of expected) expect(actual.get(name)!.equals(bytes), `${format}: ${name}`).toBe(true)
      }
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  }, 120_000)

  it('writes Parquet tables with the same rows in the same order', async () => {
    const alone = await exportWith(workspace, 'parquet', 0)
    const shared = await exportWith(workspace, 'parquet', 2)
    expect(shared.tables.map((table) => table.rows)).toEqual(alone.tables.map((table) => table.rows))
    const { DuckDBInstance } = await import('@duckdb/node-api')
    const instance = await DuckDBInstance.create(':memory:')
    const connection = await instance.connect()
    try {
      for (const table of ['sdf_flat', 'annotations', 'participants']) {
        const rows = async (folder: string) =>
          (await connection.runAndReadAll(`SELECT * FROM read_parquet('${join(folder, `${table}.parquet`)}')`)).getRowsJson()
        expect(await rows(shared.folder), table).toEqual(await rows(alone.folder))
      }
    } finally {
      connection.closeSync()
      instance.closeSync()
    }
  }, 120_000)
})

describe('the export worker pool', () => {
  it('reports a request a worker cannot carry out as an ExportWorkerError (the export then runs without workers)', async () => {
    const pool = (await ExportWorkerPool.start(2))!
    try {
      // A folder where a journal should be: reading it fails with EISDIR.
      const folder = await tempDir()
      const files = [{ id: 'd', discussion: join(folder, 'd.json'), journal: folder }]
      const failed = pool.request({ type: 'write', encoding: { format: 'csv', flatByComment: false }, files, known: { conditionKeys: [], participantExtraKeys: [], labelKinds: [] } })
      await expect(failed).rejects.toBeInstanceOf(ExportWorkerError)
      await expect(failed).rejects.toThrow('EISDIR')
    } finally {
      await pool.close()
    }
  }, 60_000)
})

describe('memory text sinks (a worker’s half of a file)', () => {
  it('hands back exactly the bytes written, in order, across chunk boundaries', () => {
    const sink = new MemoryTextSink()
    const pieces = ['héllo,', 'x'.repeat(CHUNK_BYTES - 3), '"quoted"\n', 'é'.repeat(CHUNK_BYTES), 'end']
    sink.write(pieces[0]!)
    sink.write(pieces[1]!)
    sink.writeBytes(Buffer.from(pieces[2]!))
    sink.write(pieces[3]!)
    for (const code of Buffer.from(pieces[4]!)) sink.writeAscii(code)
    const expected = Buffer.from(pieces.join(''))
    expect(sink.size).toBe(expected.length)
    const chunks = sink.take()
    expect(Buffer.concat(chunks).equals(expected)).toBe(true)
    expect(sink.take()).toEqual([])
    // Each chunk on a buffer of its own, so a transfer list never names one twice.
    expect(new Set(transferList(chunks)).size).toBe(chunks.length)
  })

  it('fills chunks handed back to its pool again instead of allocating new ones', () => {
    const pool = new ChunkPool()
    const sink = new MemoryTextSink(pool)
    sink.write('a'.repeat(1000))
    const [chunk] = sink.take()
    pool.give(transferList([chunk!]))
    const again = new MemoryTextSink(pool)
    again.write('b')
    expect(again.take()[0]!.buffer).toBe(chunk!.buffer)
  })
})
