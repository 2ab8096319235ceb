import { appendFile, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeSyntheticWorkspace } from '../../../bench/lib/syntheticWorkspace.js'
import { ANNOTATIONS_FOLDER, COLLECTION_FOLDERS, Workspace } from '../../../src/core/index.js'
import { listEveryRecord, MAX_RECORD_LIST_LIMIT, MAX_RECORD_PAGE_BYTES } from '../../../src/shared/index.js'
import { tempDir } from '../../helpers/tempDir.js'
import { connectClient, startTestServer } from './serverHarness.js'

/** The web host over a workspace of `discussions` synthetic discussions, each comment labelled once. */
async function serveSynthetic(discussions: number, commentsPerDiscussion = 3) {
  const folder = await tempDir('sdf-listing-')
  const written = await writeSyntheticWorkspace(folder, { discussions, commentsPerDiscussion, annotators: 1, seed: 3 })
  const workspace = await Workspace.open(folder)
  const { server } = await startTestServer({ workspace })
  return { workspace, written, client: connectClient(server) }
}

async function expectError(call: Promise<unknown>, code: string) {
  const error = await call.then(
    () => null,
    (failure: unknown) => failure as { code: string }
  )
  expect(error?.code).toBe(code)
}

describe('record listings through the web host', () => {
  it('answer one page in id order with the total and where the next page starts', async () => {
    const { client, workspace } = await serveSynthetic(7)
    const everyId = await workspace.discussions.ids()
    const first = await client.api['discussions.list']({ limit: 3 })
    expect(first.items.map((item) => item.id)).toEqual(everyId.slice(0, 3))
    expect(first).toMatchObject({ total: 7, nextOffset: 3, problems: [] })
    const last = await client.api['discussions.list']({ offset: 6, limit: 3 })
    expect(last.items.map((item) => item.id)).toEqual(everyId.slice(6))
    expect(last.nextOffset).toBeNull()
    const beyond = await client.api['discussions.list']({ offset: 50 })
    expect(beyond).toMatchObject({ items: [], total: 7, nextOffset: null })
    client.close()
  })

  it('answer a small kind whole when no page is asked for, and refuse a page larger than the maximum', async () => {
    const { client, workspace } = await serveSynthetic(2)
    const whole = await client.api['discussions.list']({})
    expect(whole).toMatchObject({ total: 2, nextOffset: null })
    expect(whole.items).toHaveLength(2)
    const personas = await client.api['personas.list']({})
    expect(personas.items.map((item) => item.id)).toEqual(await workspace.personas.ids())
    await expectError(client.api['discussions.list']({ limit: MAX_RECORD_LIST_LIMIT + 1 }), 'invalid-input')
    await expectError(client.api['discussions.list']({ offset: -1 }), 'invalid-input')
    client.close()
  })

  it('end a page of large records before it outgrows a client’s buffer, and go on from where it ended', async () => {
    const { client, workspace } = await serveSynthetic(400, 12)
    const page = await client.api['discussions.list']({ limit: MAX_RECORD_LIST_LIMIT })
    expect(page.items.length).toBeGreaterThan(0)
    expect(page.items.length).toBeLessThan(400)
    expect(page.nextOffset).toBe(page.items.length)
    expect(JSON.stringify(page).length).toBeLessThan(MAX_RECORD_PAGE_BYTES + 64 * 1024)
    const every = await listEveryRecord((next) => client.api['discussions.list'](next))
    expect(every.items.map((item) => item.id)).toEqual(await workspace.discussions.ids())
    client.close()
  })

  it('report a broken file on the page it falls in, counted in the total, and lose no record paging through', async () => {
    const { client, workspace } = await serveSynthetic(5)
    await writeFile(join(workspace.root, COLLECTION_FOLDERS.discussions, 'zz-broken.json'), '{ "id": ')
    const pages = []
    let offset: number | null = 0
    while (offset !== null) {
      const page = await client.api['discussions.list']({ offset, limit: 2 })
      pages.push(page)
      offset = page.nextOffset
    }
    expect(pages).toHaveLength(3)
    expect(pages.every((page) => page.total === 6)).toBe(true)
    expect(pages[2]?.problems).toEqual([expect.objectContaining({ file: expect.stringContaining('zz-broken.json'), message: expect.stringMatching(/not valid JSON/) })])
    const listed = pages.flatMap((page) => page.items.map((item) => item.id))
    expect(new Set(listed).size).toBe(5)

    const every = await listEveryRecord((page) => client.api['discussions.list'](page))
    expect(every.items.map((item) => item.id)).toEqual(listed)
    expect(every.problems).toHaveLength(1)
    client.close()
  })
})

describe('the workspace summary through the web host', () => {
  it('counts discussions and every annotation, linked and unlinked, as the journals hold them', async () => {
    const { client, workspace, written } = await serveSynthetic(6)
    const summary = await client.api['workspace.summary']({})
    expect(summary.counts.discussions).toBe(6)
    expect(summary.counts.annotations).toBe(written.annotations)
    expect(summary.counts.personas).toBe((await workspace.personas.ids()).length)

    // A journal that grows, one that waits unlinked, and a write cut short by a crash.
    const [firstId] = await workspace.discussions.ids()
    const journal = join(workspace.root, ANNOTATIONS_FOLDER, `${firstId}.jsonl`)
    const lines = (await readFile(journal, 'utf8')).trimEnd().split('\n')
    const extra = { ...JSON.parse(lines[0] as string), id: 'extra-annotation' }
    await appendFile(journal, `${JSON.stringify(extra)}\n\n{"id": "torn`)
    await workspace.annotations.addUnlinked('not-yet-here', [{ ...extra, id: 'waiting-annotation' }])

    const after = await client.api['workspace.summary']({})
    expect(after.counts.annotations).toBe(written.annotations + 2)
    const journalRecords = (await workspace.annotations.list(firstId as string)).annotations.length
    expect(journalRecords).toBe(lines.length + 1)
    client.close()
  })

  it('stays right when a journal is removed between summaries', async () => {
    const { client, workspace, written } = await serveSynthetic(3)
    expect((await client.api['workspace.summary']({})).counts.annotations).toBe(written.annotations)
    const [firstId] = await workspace.discussions.ids()
    const journal = join(workspace.root, ANNOTATIONS_FOLDER, `${firstId}.jsonl`)
    const removed = (await workspace.annotations.list(firstId as string)).annotations.length
    await rm(journal)
    expect((await client.api['workspace.summary']({})).counts.annotations).toBe(written.annotations - removed)
    client.close()
  })
})
