import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  AnnotationSchema,
  csvField,
  DiscussionSchema,
  exportTables,
  flatRows,
  importIntoWorkspace,
  pythonListRepr,
  sdfMessageId,
  toSdfConversation,
  Workspace,
  type ExportTablesResult
} from '../../../src/core/index.js'
import { SDF_FIXTURES } from '../../helpers/fixtures.js'
import { tempDir } from '../../helpers/tempDir.js'

const TABLES = ['discussions', 'participants', 'comments', 'annotations', 'annotators', 'sdf_flat']

interface DictionaryEntry {
  table: string
  column: string
  type: string
  description: string
}

async function fixtureWorkspace(folder?: string): Promise<Workspace> {
  const workspace = await Workspace.create(folder ?? (await tempDir()))
  const report = await importIntoWorkspace(workspace, [SDF_FIXTURES])
  expect(report.errors).toEqual([])
  return workspace
}

async function readCsv(file: string): Promise<Record<string, string>[]> {
  return parse(await readFile(file, 'utf8'), { columns: true, bom: false }) as Record<string, string>[]
}

async function expectedCounts(workspace: Workspace) {
  const { items } = await workspace.discussions.list()
  let annotations = 0
  let flat = 0
  for (const discussion of items) {
    const list = (await workspace.annotations.list(discussion.id)).annotations
    annotations += list.length
    for (const comment of discussion.comments) flat += Math.max(1, list.filter((a) => a.comment_index === comment.index).length)
  }
  const unlinked = (await workspace.annotations.listUnlinked()).annotations.length
  return {
    discussions: items.length,
    participants: items.reduce((sum, d) => sum + d.participants.length, 0),
    comments: items.reduce((sum, d) => sum + d.comments.length, 0),
    annotations: annotations + unlinked,
    sdf_flat: flat
  }
}

describe('exporting tables as CSV', () => {
  let workspace: Workspace
  let out: string
  let result: ExportTablesResult

  // One export read by every test here; tempDir() folders go after each test, so this one is made by hand.
  let scratch: string
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'sdf-export-test-'))
    workspace = await fixtureWorkspace(join(scratch, 'workspace'))
    out = join(scratch, 'out')
    result = await exportTables(workspace, { format: 'csv', outFolder: out })
  })
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true })
  })

  it('writes every table, read back with csv-parse with the right row counts', async () => {
    expect(result.problems).toEqual([])
    expect(result.tables.map((table) => table.name).sort()).toEqual([...TABLES].sort())
    const expected = await expectedCounts(workspace)
    for (const [table, rows] of Object.entries(expected)) {
      const parsed = await readCsv(join(out, `${table}.csv`))
      expect(parsed, table).toHaveLength(rows)
      expect(result.tables.find((entry) => entry.name === table)!.rows).toBe(rows)
    }
  })

  it('keys comments and annotations by stable ids', async () => {
    const comments = await readCsv(join(out, 'comments.csv'))
    for (const row of comments) expect(row['comment_id']).toBe(`${row['discussion_id']}:${row['comment_index']}`)
    const annotations = await readCsv(join(out, 'annotations.csv'))
    const commentIds = new Set(comments.map((row) => row['comment_id']))
    for (const row of annotations.filter((row) => row['linked'] === 'true')) expect(commentIds.has(row['comment_id'])).toBe(true)
    const annotators = new Set((await readCsv(join(out, 'annotators.csv'))).map((row) => row['annotator_id']))
    for (const row of annotations) expect(annotators.has(row['annotator_id'])).toBe(true)
  })

  it('flattens conditions, labels and personas into columns', async () => {
    const discussions = await readCsv(join(out, 'discussions.csv'))
    expect(Object.keys(discussions[0]!)).toContain('condition_conv_variant')
    const annotations = await readCsv(join(out, 'annotations.csv'))
    expect(Object.keys(annotations[0]!).some((name) => name.startsWith('label_'))).toBe(true)
    const participants = await readCsv(join(out, 'participants.csv'))
    expect(Object.keys(participants[0]!)).toEqual(expect.arrayContaining(['persona_age', 'persona_special_instructions']))
    const troll = participants.find((row) => row['username'] === 'DarkShadow333')!
    expect(JSON.parse(troll['persona_personality_characteristics']!)).toContain('provocative')
  })

  it('describes every column of every table in the data dictionary, and nothing else', async () => {
    const dictionary = await readCsv(join(out, 'data_dictionary.csv'))
    const json = JSON.parse(await readFile(join(out, 'data_dictionary.json'), 'utf8')) as { columns: DictionaryEntry[] }
    expect(json.columns).toEqual(dictionary)
    for (const table of TABLES) {
      const header = Object.keys((await readCsv(join(out, `${table}.csv`)))[0]!)
      expect(dictionary.filter((entry) => entry.table === table).map((entry) => entry.column)).toEqual(header)
    }
    for (const entry of dictionary) {
      expect(entry.description?.length).toBeGreaterThan(5)
      expect(['VARCHAR', 'BIGINT', 'DOUBLE', 'BOOLEAN']).toContain(entry.type)
    }
  })

  it("writes SynDisco's flat table with its columns and md5 message ids", async () => {
    const flat = await readCsv(join(out, 'sdf_flat.csv'))
    expect(Object.keys(flat[0]!)).toEqual([
      'conv_id', 'timestamp', 'ctx_length', 'conv_variant', 'user', 'message', 'model', 'is_moderator', 'user_prompt',
      'message_id', 'message_order', 'age', 'sex', 'sexual_orientation', 'demographic_group', 'current_employment',
      'education_level', 'special_instructions', 'personality_characteristics', 'annotator_model', 'annotator_prompt',
      'annotation', 'age_annot', 'sex_annot', 'sexual_orientation_annot', 'demographic_group_annot',
      'current_employment_annot', 'education_level_annot', 'special_instructions_annot', 'personality_characteristics_annot'
    ])
    for (const row of flat) expect(row['message_id']).toBe(sdfMessageId(row['conv_id']!, row['message']!))
    const troll = flat.find((row) => row['user'] === 'DarkShadow333')!
    expect(troll['personality_characteristics']).toBe("['outgoing', 'rebellious', 'provocative', 'impulsive']")
  })
})

describe('exporting tables as JSONL and Parquet', () => {
  it('writes one JSON object per line', async () => {
    const workspace = await fixtureWorkspace()
    const out = await tempDir()
    await exportTables(workspace, { format: 'jsonl', outFolder: out })
    const expected = await expectedCounts(workspace)
    const lines = (await readFile(join(out, 'comments.jsonl'), 'utf8')).trimEnd().split('\n')
    expect(lines).toHaveLength(expected.comments)
    const first = JSON.parse(lines[0]!) as Record<string, unknown>
    expect(typeof first['comment_index']).toBe('number')
    expect(first).toHaveProperty('timing_duration_ms', null)
  })

  it('writes Parquet files whose columns DuckDB reads back with the declared types', async () => {
    const workspace = await fixtureWorkspace()
    const out = await tempDir()
    const progress: string[] = []
    await exportTables(workspace, { format: 'parquet', outFolder: out, onProgress: (p) => progress.push(p.phase) })
    expect(new Set(progress)).toEqual(new Set(['scan', 'write', 'finish']))
    const expected = await expectedCounts(workspace)
    const { DuckDBInstance } = await import('@duckdb/node-api')
    const instance = await DuckDBInstance.create(':memory:')
    const connection = await instance.connect()
    try {
      const read = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJS()
      const file = (table: string) => `'${join(out, `${table}.parquet`)}'`
      for (const [table, rows] of Object.entries(expected)) {
        const [count] = await read(`SELECT count(*) AS n FROM read_parquet(${file(table)})`)
        expect(count!['n'], table).toBe(BigInt(rows))
      }
      const [comments] = await read(
        `SELECT typeof(comment_index) AS idx, typeof(text) AS text, typeof(timing_duration_ms) AS duration,
                typeof(timing_prompt_tokens) AS tokens FROM read_parquet(${file('comments')}) LIMIT 1`
      )
      expect(comments).toEqual({ idx: 'BIGINT', text: 'VARCHAR', duration: 'DOUBLE', tokens: 'BIGINT' })
      const [flat] = await read(`SELECT typeof(is_moderator) AS m, typeof(message_order) AS o FROM read_parquet(${file('sdf_flat')}) LIMIT 1`)
      expect(flat).toEqual({ m: 'BOOLEAN', o: 'BIGINT' })
      const [annotations] = await read(`SELECT typeof(parsed) AS parsed, typeof(linked) AS linked FROM read_parquet(${file('annotations')}) LIMIT 1`)
      expect(annotations).toEqual({ parsed: 'BOOLEAN', linked: 'BOOLEAN' })
      // texts survive exactly: newlines, quotes, empty strings; null stays null (not "")
      const stored = (await workspace.discussions.list()).items.flatMap((d) =>
        d.comments.map((c) => ({ comment_id: `${d.id}:${c.index}`, text: c.text, model: c.model }))
      )
      const exported = await read(`SELECT comment_id, text, model FROM read_parquet(${file('comments')})`)
      expect(exported).toEqual(stored)
      expect(stored.some((row) => row.text === '')).toBe(true)
      expect(stored.some((row) => row.text.includes('\n'))).toBe(true)
      // the dictionary's types are the Parquet types, column for column
      const dictionary = JSON.parse(await readFile(join(out, 'data_dictionary.json'), 'utf8')) as { columns: DictionaryEntry[] }
      for (const table of TABLES) {
        const described = await read(`DESCRIBE SELECT * FROM read_parquet(${file(table)})`)
        expect(described.map((row) => [row['column_name'], row['column_type']])).toEqual(
          dictionary.columns.filter((entry) => entry.table === table).map((entry) => [entry.column, entry.type])
        )
      }
    } finally {
      connection.closeSync()
      instance.closeSync()
    }
  })
})

describe('the flat table', () => {
  it("gives each speaker the prompt SynDisco's conversation file carries for them (toSdfConversation)", async () => {
    const workspace = await fixtureWorkspace()
    const { items } = await workspace.discussions.list()
    let checked = 0
    for (const discussion of items) {
      const sdf = toSdfConversation(discussion)
      const expected = new Map(sdf.users.map((user, index) => [user, sdf.user_prompts[index]]))
      if (sdf.moderator !== null) expected.set(sdf.moderator, sdf.moderator_prompt!)
      for (const row of flatRows(discussion, [])) {
        if (!expected.has(row.comment.author)) continue
        expect(row.userPrompt).toBe(expected.get(row.comment.author))
        checked += 1
      }
    }
    expect(checked).toBeGreaterThan(10)
  })

  it('hashes "<conv_id>_<message>" with md5 (hand-computed with Python hashlib)', () => {
    // hashlib.md5('0b1c9f3e-5a55-4f0e-9d61-3c8e2f9b7a10_Hello, world'.encode()).hexdigest()
    expect(sdfMessageId('0b1c9f3e-5a55-4f0e-9d61-3c8e2f9b7a10', 'Hello, world')).toBe('101ec539ec6b7c406f77899caed26e03')
    expect(sdfMessageId('d1', '')).toBe('724388c4a50334f7120ac357886bf883')
    expect(sdfMessageId('d1', 'Καλημέρα')).toBe('5fd03a0ce1ea98841e483c51b6b1ec79') // UTF-8 bytes
  })

  it('left-joins annotations, repeats a comment per annotation and numbers messages as SynDisco did', () => {
    const discussion = DiscussionSchema.parse({
      id: 'd1',
      moderator: 'mod',
      participants: [
        { username: 'ann', role: 'user', persona: { username: 'ann', personality_characteristics: ['calm'] }, persona_origin: 'structured' },
        { username: 'mod', role: 'moderator', persona: { username: 'mod' }, persona_origin: 'structured' }
      ],
      comments: [
        { index: 0, author: 'ann', role: 'user', raw_text: 'hi', text: 'hi', model: 'm' },
        { index: 1, author: 'mod', role: 'moderator', raw_text: '', text: '', model: 'm' },
        { index: 2, author: 'ann', role: 'user', raw_text: '', text: '', model: 'm' },
        { index: 3, author: 'ann', role: 'user', raw_text: 'bye', text: 'bye', model: 'm' }
      ]
    })
    const annotation = (id: string, index: number, name: string) =>
      AnnotationSchema.parse({
        id,
        discussion_id: 'd1',
        comment_index: index,
        position: 0,
        annotator: { name, kind: 'llm', model: name },
        values: { toxicity: 1 },
        raw_text: 'Toxicity=1',
        parsed: true
      })
    const rows = [...flatRows(discussion, [annotation('a', 0, 'x'), annotation('b', 0, 'y'), annotation('c', 3, 'x')])]
    expect(rows.map((row) => [row.comment.index, row.annotation?.id ?? null, row.messageOrder])).toEqual([
      [0, 'a', 1],
      [0, 'b', 1],
      [1, null, 2],
      // the same (empty) text right after: same message_id, so SynDisco's counter does not step
      [2, null, 2],
      [3, 'c', 3]
    ])
    expect(rows[2]!.userPrompt).toContain('"persona"')
  })
})

describe('cell formats', () => {
  it('quotes CSV fields per RFC 4180 and tells null from the empty string', () => {
    expect(csvField(null)).toBe('')
    expect(csvField('')).toBe('""')
    expect(csvField('plain')).toBe('plain')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"\nnow')).toBe('"say ""hi""\nnow"')
    expect(csvField(2.5)).toBe('2.5')
    expect(csvField(false)).toBe('false')
  })

  it("renders lists as Python's str() did in SynDisco's CSV", () => {
    // python: str(['outgoing', "it's", 'a\\b']) → ['outgoing', "it's", 'a\\b']
    expect(pythonListRepr(['outgoing', "it's", 'a\\b'])).toBe(`['outgoing', "it's", 'a\\\\b']`)
    expect(pythonListRepr([])).toBe('[]')
  })
})
