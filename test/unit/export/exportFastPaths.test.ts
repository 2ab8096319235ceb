import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readAnnotationJournal, ValidatedRecordCache } from '../../../src/core/analysis/dataset/readAnnotationJournal.js'
import { scanJournalValues } from '../../../src/core/export/exportScan.js'
import { csvTableWriter } from '../../../src/core/export/csvTableWriter.js'
import { exportTableSpecs, type FlatRow } from '../../../src/core/export/exportTableSpecs.js'
import { flatRowWriter } from '../../../src/core/export/flatRowWriter.js'
import { jsonlTableWriter } from '../../../src/core/export/jsonlTableWriter.js'
import { AnnotationSchema, flatRows, type Annotation, type Discussion } from '../../../src/core/index.js'
import type { ExportScan } from '../../../src/core/export/exportScan.js'
import { AnnotatorRegistry } from '../../../src/core/export/exportScan.js'
import { tempDir } from '../../helpers/tempDir.js'

const annotator = (name: string, prompt: string) => ({
  name,
  kind: 'llm' as const,
  model: 'm',
  prompt,
  persona: { username: name, age: 30, personality_characteristics: ['calm', 'odd "quoted"'], extra_attributes: { region: 'north' } },
  spec_id: null
})

function annotation(id: string, index: number, who: ReturnType<typeof annotator>, values: Annotation['values']): Annotation {
  return AnnotationSchema.parse({
    id,
    discussion_id: 'd1',
    comment_index: index,
    position: index,
    annotator: who,
    values,
    raw_text: `Toxicity=${String(values['toxicity'])}\nnote, "quoted"`,
    parsed: true
  })
}

const discussion: Discussion = {
  id: 'd1',
  timestamp: '26-01-01-00-00',
  status: 'complete',
  participants: [
    { username: 'ann', role: 'user', persona: { username: 'ann', age: 40, extra_attributes: {} } as never, persona_origin: 'structured', system_prompt: 'You are Ann, "quoted", with a comma' },
    { username: 'mod', role: 'moderator', persona: { username: 'mod', extra_attributes: {} } as never, persona_origin: 'name-only', system_prompt: null }
  ],
  moderator: 'mod',
  context: 'ctx',
  history_ctx_len: 3,
  comments: ['first, with a comma', 'second\nline', 'third "quoted"', 'first, with a comma'].map((text, index) => ({
    index,
    author: index % 2 === 0 ? 'ann' : 'mod',
    role: 'user' as const,
    raw_text: text,
    text,
    model: 'x',
    reply_to: null,
    seed: null,
    prompt: null
  })),
  topic_id: null,
  config_id: null,
  run_id: null,
  conditions: { conv_variant: 'v' },
  extra: {}
}

describe('the flat table written from encoded parts', () => {
  it.each([
    ['CSV', csvTableWriter, 'csv'],
    ['JSONL', jsonlTableWriter, 'jsonl']
  ] as const)('has exactly the bytes of the same rows written cell by cell (%s)', async (_format, tableWriter, extension) => {
    const a = annotator('a', 'Rate it, "please".')
    const b = annotator('b', 'Another prompt')
    const annotations = [annotation('x0', 0, a, { toxicity: 1 }), annotation('x1', 0, b, { toxicity: 2 }), annotation('x2', 2, a, { toxicity: 3 }), annotation('x3', 3, b, { toxicity: null })]
    const scan: ExportScan = {
      discussionIds: ['d1'],
      conditionKeys: [],
      participantExtraKeys: [],
      annotatorExtraKeys: [],
      labels: [],
      annotators: new AnnotatorRegistry(),
      unlinked: [],
      problems: []
    }
    const spec = exportTableSpecs(scan).sdf_flat
    const definition = { name: spec.name, description: spec.description, columns: spec.columns.map(({ name, type, description }) => ({ name, type, description })) }
    const plainFolder = await tempDir()
    const partsFolder = await tempDir()
    const plain = tableWriter(plainFolder, definition)
    const parts = tableWriter(partsFolder, definition)
    expect(parts.writeRowParts).toBeDefined()
    const put = flatRowWriter(spec, parts)
    for (const row of flatRows(discussion, annotations)) {
      await plain.writeRow(spec.columns.map((column) => column.get(row as FlatRow)))
      await put(row)
    }
    expect((await plain.close()).rows).toBe(5)
    expect((await parts.close()).rows).toBe(5)
    const expected = await readFile(join(plainFolder, `sdf_flat.${extension}`), 'utf8')
    expect(await readFile(join(partsFolder, `sdf_flat.${extension}`), 'utf8')).toBe(expected)
  })
})

describe('the export scan of journal values', () => {
  it('finds the labels of every line from the bytes, and parses whole lines it cannot read that way', () => {
    const lines = [
      JSON.stringify({ id: 'a', annotator: { name: 'x' }, values: { toxicity: 3, stance: 'pro' }, raw_text: 'has "values":{ in it' }),
      JSON.stringify({ id: 'b', values: { score: 1.5, flag: true } }),
      // a nested values object: the whole line is parsed
      JSON.stringify({ id: 'c', extra: { values: { decoy: 1 } }, values: { nested_ok: 'yes' } }),
      // values that are not a flat object: parsed whole
      JSON.stringify({ id: 'd', values: { odd: [1, 2] } }),
      '',
      // never closes, and the line is not JSON: nothing learnt (the second pass reports it)
      'not json at all "values":{"torn": 1',
      JSON.stringify({ id: 'e', values: { 'brace}in"key': null } })
    ]
    const seen: unknown[] = []
    scanJournalValues(Buffer.from(lines.join('\n')), (values) => seen.push(values))
    expect(seen).toEqual([
      { toxicity: 3, stance: 'pro' },
      { score: 1.5, flag: true },
      { nested_ok: 'yes' },
      { odd: [1, 2] },
      { 'brace}in"key': null }
    ])
  })
})

describe('reading a journal whose lines repeat their annotators', () => {
  it('returns exactly what AnnotationStore returns, however the annotators interleave', async () => {
    const a = annotator('a', 'Prompt A')
    const b = annotator('b', 'Prompt B')
    const records = [
      annotation('r0', 0, a, { toxicity: 1 }),
      annotation('r1', 0, b, { toxicity: 2 }),
      annotation('r2', 1, a, { toxicity: 3 }),
      annotation('r3', 1, b, { toxicity: 4 }),
      annotation('r4', 2, { ...a, prompt: 'Prompt A, changed' }, { toxicity: 5 }),
      annotation('r5', 2, a, { toxicity: 1 })
    ]
    const lines = records.map((record) => JSON.stringify(record))
    // An annotator of the same text but an invalid record (negative index) is still refused.
    lines.push(lines[0]!.replace('"comment_index":0', '"comment_index":-1'))
    // The same annotator text under a nested key as well: never mistaken for the record's own.
    lines.push(JSON.stringify({ ...records[1], extra: { annotator: a } }))
    const file = join(await tempDir(), 'd1.jsonl')
    await writeFile(file, `${lines.join('\n')}\n`)
    const journal = readAnnotationJournal(file, new ValidatedRecordCache())
    const expected = [...records, AnnotationSchema.parse(JSON.parse(lines[7]!))]
    expect(journal.annotations).toEqual(expected)
    expect(JSON.stringify(journal.annotations)).toBe(JSON.stringify(expected))
    expect(journal.problems).toEqual([{ file, message: expect.stringMatching(/^line 7: .*comment_index/) }])
  })
})
