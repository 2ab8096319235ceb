import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { appendJsonl, readJsonl, writeJsonAtomically } from '../../../src/core/workspace/index.js'
import { tempDir } from '../../helpers/tempDir.js'

const RecordSchema = z.object({ n: z.number() })

describe('append-only journals', () => {
  it('read back every appended record in order', async () => {
    const path = join(await tempDir(), 'journal.jsonl')
    await appendJsonl(path, [{ n: 1 }, { n: 2 }])
    await appendJsonl(path, [{ n: 3 }])
    const { records, problems, tornTail } = await readJsonl(path, RecordSchema)
    expect(records).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }])
    expect(problems).toEqual([])
    expect(tornTail).toBe(false)
  })

  it('recover up to the last complete record when a crash tore the final line', async () => {
    const path = join(await tempDir(), 'journal.jsonl')
    await appendJsonl(path, [{ n: 1 }])
    await appendFile(path, '{"n": 2, "tex')
    const { records, problems, tornTail } = await readJsonl(path, RecordSchema)
    expect(records).toEqual([{ n: 1 }])
    expect(tornTail).toBe(true)
    expect(problems[0]?.message).toMatch(/incomplete last record/)
  })

  it('keep the first record appended after a torn line intact', async () => {
    const path = join(await tempDir(), 'journal.jsonl')
    await appendJsonl(path, [{ n: 1 }])
    await appendFile(path, '{"n": 2')
    await appendJsonl(path, [{ n: 3 }])
    const { records, problems } = await readJsonl(path, RecordSchema)
    expect(records).toEqual([{ n: 1 }, { n: 3 }])
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({ line: 2, message: 'not valid JSON' })
  })

  it('report a record of the wrong shape by line and field, and keep the others', async () => {
    const path = join(await tempDir(), 'journal.jsonl')
    await writeFile(path, '{"n": 1}\n{"n": "two"}\n{"n": 3}\n')
    const { records, problems } = await readJsonl(path, RecordSchema)
    expect(records).toEqual([{ n: 1 }, { n: 3 }])
    expect(problems).toEqual([{ line: 2, message: expect.stringMatching(/^field n: /) }])
  })

  it('treat a missing journal as empty', async () => {
    const { records } = await readJsonl(join(await tempDir(), 'none.jsonl'), RecordSchema)
    expect(records).toEqual([])
  })
})

describe('atomic JSON writes', () => {
  it('replace the whole file and leave no temporary files behind', async () => {
    const dir = await tempDir()
    const path = join(dir, 'record.json')
    await writeJsonAtomically(path, { version: 1 })
    await writeJsonAtomically(path, { version: 2 })
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ version: 2 })
    expect(await readdir(dir)).toEqual(['record.json'])
  })
})
