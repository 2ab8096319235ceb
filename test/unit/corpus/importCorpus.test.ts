import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  CorpusError,
  CorpusInfoSchema,
  deleteCorpus,
  importCorpus,
  listCorpora,
  loadCorpus,
  parseCorpus,
  Workspace
} from '../../../src/core/index.js'
import { REPO_ROOT } from '../../helpers/fixtures.js'
import { tempDir } from '../../helpers/tempDir.js'

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'corpus')
const fixture = (name: string) => join(FIXTURES, name)

async function parseFixture(name: string, options: Partial<Parameters<typeof parseCorpus>[1]> = {}) {
  return parseCorpus(await readFile(fixture(name)), { file: name, format: name.endsWith('.jsonl') ? 'jsonl' : 'csv', ...options })
}

describe('reading a corpus CSV in the Conversations Gone Awry layout', () => {
  it('reads every row with the default columns, keeping the reply-to structure and the escalated flag', async () => {
    const { comments, report, columns } = await parseFixture('awry.csv')
    expect(columns).toEqual({
      conversation: 'conv_id',
      id: 'message_id',
      reply_to: 'reply_to',
      author: 'user',
      text: 'text',
      flag: 'escalated',
      timestamp: null
    })
    expect(report).toMatchObject({ rows_read: 9, empty_rows: 0, conversations: 3, comments: 9, flagged: 4, rejected_count: 0 })
    expect(comments[0]).toEqual({
      conversation_id: 'c1',
      message_id: 'm1',
      reply_to: null,
      author: 'river_otter',
      text: 'I think the city should fund more night buses before building another car park.',
      flagged: false,
      timestamp: null,
      line: 2
    })
    expect(comments.map((comment) => comment.reply_to)).toEqual([null, 'm1', 'm2', 'm3', null, 'm5', 'm6', null, 'm8'])
  })
})

describe('reading a messy CSV (BOM, CRLF, quotes, bad bytes, duplicates)', () => {
  it('still has the awkward bytes it is meant to test', async () => {
    const bytes = await readFile(fixture('messy.csv'))
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(bytes.includes('\r\n')).toBe(true)
    expect(bytes.includes(0xe9)).toBe(true)
  })

  it('reads quoted commas, line breaks inside fields and doubled quotes; drops the BOM and CRLF', async () => {
    const { comments, report } = await parseFixture('messy.csv')
    expect(report.columns_found[0]).toBe('conv_id')
    const text = (conversation: string, id: string) =>
      comments.find((comment) => comment.conversation_id === conversation && comment.message_id === id)?.text
    expect(text('c1', 'm1')).toBe('Hello, world: a comma inside quotes')
    expect(text('c1', 'm2')).toBe('Two lines:\nthe second line\n\nand a blank one')
    expect(text('c2', 'm4')).toBe('She said "no", then left')
  })

  it('makes an empty reply_to null and keeps message ids per conversation', async () => {
    const { comments } = await parseFixture('messy.csv')
    expect(comments.find((comment) => comment.message_id === 'm3')?.reply_to).toBeNull()
    expect(comments.filter((comment) => comment.message_id === 'm1').map((comment) => comment.conversation_id)).toEqual(['c1', 'c2'])
  })

  it('rejects duplicates and short rows by line, keeping the first; passes over empty rows', async () => {
    const { comments, report } = await parseFixture('messy.csv')
    expect(report).toMatchObject({ rows_read: 9, empty_rows: 1, conversations: 2, comments: 6, rejected_count: 2 })
    expect(report.rejected).toEqual([
      { line: 9, reason: 'duplicate message id "m2" in conversation "c1" (first on line 3, which is kept)' },
      { line: 12, reason: 'has 5 fields but the header names 6 (a comma outside quotes?)' }
    ])
    expect(comments.find((comment) => comment.message_id === 'm2' && comment.conversation_id === 'c1')?.author).toBe('bob')
  })

  it('replaces bytes that are not UTF-8 and names the rows, without failing the file', async () => {
    const { comments, report } = await parseFixture('messy.csv')
    expect(comments.find((comment) => comment.line === 11)?.text).toBe('Caf\uFFFD in Latin-1')
    expect(report.warnings[0]).toEqual({ line: null, message: expect.stringMatching(/not valid UTF-8.*1 row.*line 11\b.*re-save/) })
  })

  it('warns about a flag it cannot read and a reply_to that names no message', async () => {
    const { comments, report } = await parseFixture('messy.csv')
    expect(comments.find((comment) => comment.line === 10)?.flagged).toBe(false)
    expect(report.warnings.slice(1)).toEqual([
      { line: 10, message: 'escalated value "maybe" is not yes/no; read as not flagged' },
      { line: 14, message: expect.stringContaining('reply_to "m9" is not a message of conversation "c2"') }
    ])
    expect(report.flagged).toBe(3)
  })

  it('reads the same with LF endings and no BOM', async () => {
    const bytes = await readFile(fixture('messy.csv'))
    const plain = Buffer.from(bytes.subarray(3).toString('latin1').replace(/\r\n/g, '\n'), 'latin1')
    const a = await parseFixture('messy.csv')
    const b = parseCorpus(plain, { file: 'messy.csv', format: 'csv' })
    expect(b.comments).toEqual(a.comments)
  })
})

describe('a corpus file that cannot be read as asked', () => {
  it('names a missing column and lists the columns found', async () => {
    await expect(parseFixture('missing-column.csv')).rejects.toThrow(
      'missing-column.csv: the file has no column "user" (author; choose another with --author-column); columns found: "conv_id", "message_id", "reply_to", "author", "text"'
    )
    const { comments, columns } = await parseFixture('missing-column.csv', { columns: { author: 'author' } })
    expect(columns.flag).toBeNull()
    expect(comments[0]).toMatchObject({ author: 'alice', flagged: null })
  })

  it('requires an optional column that was named explicitly', async () => {
    await expect(parseFixture('awry.csv', { columns: { timestamp: 'posted_at' } })).rejects.toThrow(/no column "posted_at" \(timestamp/)
  })

  it('reads the rows before an unclosed quote and reports where the rest was lost', async () => {
    const { comments, report } = await parseFixture('unclosed-quote.csv')
    expect(comments.map((comment) => comment.message_id)).toEqual(['m1'])
    expect(report.rejected).toEqual([{ line: 3, reason: expect.stringMatching(/never closed; the rest of the file was not read/) }])
  })

  it('refuses an empty file', () => {
    expect(() => parseCorpus(Buffer.from('\uFEFF\r\n'), { file: 'empty.csv', format: 'csv' })).toThrow('empty.csv is empty')
  })

  it('never throws on arbitrary bytes, only CorpusErrors', () => {
    const samples = [Buffer.from([0xff, 0x00, 0x22, 0x0a, 0x2c]), Buffer.from('a,b\n"x'), Buffer.from('conv_id\n\u0000')]
    for (const bytes of samples) {
      for (const format of ['csv', 'jsonl'] as const) {
        try {
          parseCorpus(bytes, { file: 'x', format })
        } catch (error) {
          expect(error).toBeInstanceOf(CorpusError)
        }
      }
    }
  })
})

describe('reading a JSONL corpus', () => {
  const columns = { conversation: 'thread', id: 'id', reply_to: 'parent', author: 'author', text: 'body', flag: 'toxic' }

  it('maps keys to fields, reads numbers as ids and booleans or 0/1 as flags', async () => {
    const { comments, report } = await parseFixture('threads.jsonl', { columns })
    expect(comments.map((comment) => [comment.conversation_id, comment.message_id, comment.reply_to, comment.flagged])).toEqual([
      ['101', '1', null, false],
      ['101', '2', '1', true],
      ['102', '1', null, false],
      ['102', '3', '1', true]
    ])
    expect(comments[1]?.text).toBe('Second line\nwith a newline')
    expect(comments[2]?.author).toBeNull()
    expect(report.rejected).toEqual([
      { line: 4, reason: 'is not valid JSON' },
      { line: 5, reason: 'is not a JSON object' },
      { line: 7, reason: 'no body' }
    ])
    expect(report).toMatchObject({ format: 'jsonl', rows_read: 7, comments: 4, conversations: 2, flagged: 2 })
  })
})

describe('a corpus in the workspace', () => {
  it('is stored as corpora/<id>/corpus.json and comments.jsonl, and loads back whole', async () => {
    const workspace = await Workspace.create(await tempDir())
    const { corpus, report } = await importCorpus(workspace, fixture('messy.csv'), {
      name: 'Messy Threads',
      importedAt: new Date('2026-01-02T03:04:05Z')
    })
    expect(corpus.info.id).toBe('messy-threads')
    expect(await readdir(join(workspace.root, 'corpora', 'messy-threads'))).toEqual(['comments.jsonl', 'corpus.json'])
    const info = CorpusInfoSchema.parse(JSON.parse(await readFile(join(workspace.root, 'corpora', 'messy-threads', 'corpus.json'), 'utf8')))
    expect(info).toMatchObject({
      name: 'Messy Threads',
      imported_at: '2026-01-02T03:04:05.000Z',
      source: { file: fixture('messy.csv'), format: 'csv', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      counts: { conversations: 2, comments: 6, flagged: 3 }
    })
    expect(info.report).toEqual(report)
    expect(await loadCorpus(workspace, 'messy-threads')).toEqual(corpus)
    expect((await listCorpora(workspace)).items.map((item) => item.id)).toEqual(['messy-threads'])
  })

  it('refuses to replace a corpus of the same name unless asked, and can be deleted', async () => {
    const workspace = await Workspace.create(await tempDir())
    await importCorpus(workspace, fixture('awry.csv'), { name: 'awry' })
    await expect(importCorpus(workspace, fixture('tree.csv'), { name: 'AWRY' })).rejects.toThrow(/already has a corpus "awry".*--replace/)
    const { corpus } = await importCorpus(workspace, fixture('tree.csv'), { name: 'AWRY', replace: true })
    expect((await loadCorpus(workspace, 'awry')).comments).toEqual(corpus.comments)
    await deleteCorpus(workspace, 'awry')
    expect((await listCorpora(workspace)).items).toEqual([])
    await expect(loadCorpus(workspace, 'awry')).rejects.toThrow(/no corpus "awry"/)
  })

  it('refuses a file with no usable comment, keeping the report for the caller', async () => {
    const workspace = await Workspace.create(await tempDir())
    const path = join(await tempDir(), 'bad.csv')
    await writeFile(path, 'conv_id,message_id,reply_to,user,text\n,,,,\nc1,,,x,no id\n')
    const error = await importCorpus(workspace, path, { name: 'bad' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CorpusError)
    expect((error as CorpusError).report?.rejected).toEqual([{ line: 3, reason: 'no message id (message_id is empty)' }])
    expect((await listCorpora(workspace)).items).toEqual([])
  })

  it('reports a damaged comments file by line', async () => {
    const workspace = await Workspace.create(await tempDir())
    await importCorpus(workspace, fixture('awry.csv'), { name: 'awry' })
    const path = join(workspace.root, 'corpora', 'awry', 'comments.jsonl')
    await writeFile(path, `${await readFile(path, 'utf8')}{"conversation_id": 1}\n`)
    await expect(loadCorpus(workspace, 'awry')).rejects.toThrow(/comments\.jsonl line 10: .*re-import/)
  })
})
