import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../helpers/fixtures.js'
import { connectClient, startTestServer } from './serverHarness.js'

const fixture = (name: string) => readFile(join(REPO_ROOT, 'test', 'fixtures', 'corpus', name))

async function failure(call: Promise<unknown>): Promise<{ code: string; message: string; details?: unknown }> {
  const error = await call.then(
    () => null,
    (caught: unknown) => caught as { code: string; message: string; details?: unknown }
  )
  expect(error).not.toBeNull()
  return error as { code: string; message: string; details?: unknown }
}

describe('corpora over the WebSocket', () => {
  it('imports an uploaded Conversations Gone Awry CSV with the default columns, lists it and browses its threads', async () => {
    const { server } = await startTestServer()
    const client = connectClient(server)
    const content = (await fixture('awry.csv')).toString('utf8')
    const imported = await client.api['corpus.import']({ fileName: 'uploads/cmv_awry.csv', content })
    expect(imported.corpus).toMatchObject({
      id: 'cmv_awry',
      name: 'cmv_awry',
      fileName: 'uploads/cmv_awry.csv',
      format: 'csv',
      counts: { conversations: 3, comments: 9, flagged: 4 },
      rejected: 0
    })
    expect(imported.report).toMatchObject({ rows_read: 9, comments: 9, rejected_count: 0 })
    expect(imported.discussions).toBe(0)

    const listed = await client.api['corpus.list']({})
    expect(listed.items.map((item) => item.id)).toEqual(['cmv_awry'])

    const page = await client.api['corpus.browse']({ corpusId: 'cmv_awry', offset: 1, limit: 1 })
    expect(page.threadCount).toBe(3)
    expect(page.threads).toHaveLength(1)
    expect(page.thread).toBeNull()
    expect(page.threads[0]).toMatchObject({ conversationId: expect.any(String), comments: expect.any(Number) })
    client.close()
  })

  it('keeps the reply-to structure when browsing a thread: parents, depths, and comments without reply_to', async () => {
    const { server } = await startTestServer()
    const client = connectClient(server)
    await client.api['corpus.import']({ fileName: 'tree.csv', content: (await fixture('tree.csv')).toString('utf8'), name: 'Tree' })
    const page = await client.api['corpus.browse']({ corpusId: 'tree', threadId: 't1' })
    expect(page.thread?.total).toBe(6)
    expect(page.thread?.comments.map((comment) => [comment.messageId, comment.replyTo, comment.parentIndex, comment.depth])).toEqual([
      ['a', null, null, 0],
      ['b', 'a', 0, 1],
      ['c', 'a', 0, 1],
      ['d', 'b', 1, 2],
      ['e', null, null, 0],
      ['f', 'zz', null, 0]
    ])
    const second = await client.api['corpus.browse']({ corpusId: 'tree', threadId: 't1', offset: 4, limit: 10 })
    expect(second.thread?.comments.map((comment) => comment.index)).toEqual([4, 5])
    client.close()
  })

  it('reports quoted commas, line breaks in fields, a missing reply_to, duplicate ids and bytes that are not UTF-8', async () => {
    const { server } = await startTestServer()
    const client = connectClient(server)
    // base64 carries the Latin-1 byte as it is; text would have replaced it in the browser already.
    const imported = await client.api['corpus.import']({
      fileName: 'messy.csv',
      content: (await fixture('messy.csv')).toString('base64'),
      encoding: 'base64',
      discussions: true
    })
    const { report } = imported
    expect(report).toMatchObject({ rows_read: 9, empty_rows: 1, conversations: 2, comments: 6, rejected_count: 2 })
    expect(report.rejected).toEqual([
      { line: 9, reason: 'duplicate message id "m2" in conversation "c1" (first on line 3, which is kept)' },
      { line: 12, reason: 'has 5 fields but the header names 6 (a comma outside quotes?)' }
    ])
    expect(report.warnings[0]?.message).toMatch(/not valid UTF-8.*line 11\b/)
    expect(report.warnings.some((warning) => /reply_to "m9" is not a message/.test(warning.message))).toBe(true)
    expect(imported.discussions).toBe(2)

    const thread = await client.api['corpus.browse']({ corpusId: 'messy', threadId: 'c1' })
    const texts = thread.thread?.comments.map((comment) => comment.text) ?? []
    expect(texts).toContain('Hello, world: a comma inside quotes')
    expect(texts).toContain('Two lines:\nthe second line\n\nand a blank one')
    expect(thread.thread?.comments.find((comment) => comment.messageId === 'm3')?.replyTo).toBeNull()
    expect((await client.api['discussions.list']({})).items).toHaveLength(2)
    client.close()
  })

  it('maps other column names, and can read a file without a reply_to column', async () => {
    const { server } = await startTestServer()
    const client = connectClient(server)
    const content = 'thread,id,who,body\nx,1,ann,"first, with a comma"\nx,2,bob,second\n'
    const imported = await client.api['corpus.import']({
      fileName: 'plain.csv',
      content,
      mapping: { conv_id: 'thread', message_id: 'id', user: 'who', text: 'body', reply_to: null, flag: null }
    })
    expect(imported.corpus.columns).toMatchObject({ conversation: 'thread', reply_to: null, flag: null })
    expect(imported.corpus.counts).toEqual({ conversations: 1, comments: 2, flagged: null })
    const page = await client.api['corpus.browse']({ corpusId: 'plain', threadId: 'x' })
    expect(page.thread?.comments.map((comment) => [comment.author, comment.parentIndex])).toEqual([
      ['ann', null],
      ['bob', null]
    ])
    client.close()
  })

  it('answers clear errors: a missing column, a file with no usable row, a corpus that exists, unknown corpora and threads', async () => {
    const { server } = await startTestServer()
    const client = connectClient(server)
    const missing = await failure(
      client.api['corpus.import']({ fileName: 'missing-column.csv', content: (await fixture('missing-column.csv')).toString('utf8') })
    )
    expect(missing.code).toBe('invalid-input')
    expect(missing.message).toMatch(/no column "user" \(author; map it to another column\); columns found: "conv_id"/)

    const empty = await failure(
      client.api['corpus.import']({ fileName: 'bad.csv', content: 'conv_id,message_id,reply_to,user,text\nc1,,,x,no id\n' })
    )
    expect(empty.code).toBe('invalid-input')
    expect(empty.message).toMatch(/no comment could be read from bad.csv/)
    expect(empty.details).toMatchObject({ report: { rejected: [{ line: 2, reason: 'no message id (message_id is empty)' }] } })

    expect((await failure(client.api['corpus.import']({ fileName: 'empty.csv', content: '' }))).message).toMatch(/empty.csv is empty/)

    const awry = (await fixture('awry.csv')).toString('utf8')
    await client.api['corpus.import']({ fileName: 'awry.csv', content: awry })
    const again = await failure(client.api['corpus.import']({ fileName: 'awry.csv', content: awry }))
    expect(again.message).toMatch(/already has a corpus "awry".*tick "replace"/)
    await expect(client.api['corpus.import']({ fileName: 'awry.csv', content: awry, replace: true })).resolves.toMatchObject({ corpus: { id: 'awry' } })

    const bad64 = await failure(client.api['corpus.import']({ fileName: 'x.csv', content: '@@@', encoding: 'base64' }))
    expect(bad64).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/not valid base64/) })

    expect(await failure(client.api['corpus.browse']({ corpusId: 'nope' }))).toMatchObject({ code: 'not-found', message: expect.stringMatching(/no corpus "nope"/) })
    expect(await failure(client.api['corpus.browse']({ corpusId: 'awry', threadId: 'zzz' }))).toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/no conversation "zzz"/)
    })
    expect((await failure(client.api['corpus.browse']({ corpusId: '../etc' }))).code).toBe('invalid-input')
    client.close()
  })
})
