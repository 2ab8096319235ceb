import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CACHED_RECORDS_PER_COLLECTION, countJsonlLines, JsonCollection, PersonaSchema, readJsonl } from '../../../src/core/index.js'
import { tempDir } from '../../helpers/tempDir.js'
import { z } from 'zod'

describe('counting a journal’s records by its lines', () => {
  it('counts what readJsonl reads: blank lines and a torn last line left out', async () => {
    const path = join(await tempDir(), 'journal.jsonl')
    await writeFile(path, '{"id":"a"}\n\n  \n{"id":"b"}\r\n{"id":"c"}\n{"id": "tor')
    expect(await countJsonlLines(path)).toBe(3)
    const { records } = await readJsonl(path, z.object({ id: z.string() }))
    expect(records).toHaveLength(3)
  })

  it('counts a last record written whole but without its newline, and a missing journal as none', async () => {
    const folder = await tempDir()
    await writeFile(join(folder, 'whole.jsonl'), '{"id":"a"}\n{"id":"b"}')
    expect(await countJsonlLines(join(folder, 'whole.jsonl'))).toBe(2)
    expect(await countJsonlLines(join(folder, 'missing.jsonl'))).toBe(0)
  })
})

describe('a page of a collection', () => {
  it('ends early once its files reach the byte budget, reading at least one record', async () => {
    const folder = await tempDir()
    const personas = new JsonCollection(folder, PersonaSchema, 'persona')
    for (const id of ['a', 'b', 'c', 'd']) await personas.put({ id, username: id.toUpperCase(), extra_attributes: {} })
    const whole = await personas.listPage(0, 10)
    expect(whole).toMatchObject({ total: 4, read: 4 })
    const tiny = await personas.listPage(1, 10, 1)
    expect(tiny.items.map((item) => item.id)).toEqual(['b'])
    expect(tiny.read).toBe(1)
  })

  it('keeps a bounded number of parsed records in memory and still answers every one', async () => {
    const folder = await tempDir()
    const personas = new JsonCollection(folder, PersonaSchema, 'persona')
    const count = CACHED_RECORDS_PER_COLLECTION + 5
    await Promise.all(
      Array.from({ length: count }, (_, index) => writeFile(join(folder, `p${index}.json`), JSON.stringify({ id: `p${index}`, username: `P${index}` })))
    )
    const listing = await personas.list()
    expect(listing.items).toHaveLength(count)
    expect((personas as unknown as { cache: Map<string, unknown> }).cache.size).toBe(CACHED_RECORDS_PER_COLLECTION)
    expect(await personas.get('p0')).toMatchObject({ username: 'P0' })
  })
})
