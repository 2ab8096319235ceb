import { describe, expect, it } from 'vitest'
import {
  annotationId,
  HumanLabelImportError,
  importHumanLabels,
  krippendorffAlpha,
  parseHumanLabelCsv,
  reliabilityDataFromAnnotations,
  type Annotation,
  type Discussion,
  type Workspace
} from '../../../src/core/index.js'
import { emptyWorkspace } from '../../helpers/emptyWorkspace.js'
import { tempDir } from '../../helpers/tempDir.js'

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

function discussion(id: string, comments: number): Discussion {
  return {
    id,
    timestamp: null,
    status: 'complete',
    participants: [],
    moderator: null,
    context: null,
    history_ctx_len: null,
    comments: Array.from({ length: comments }, (_, index) => ({
      index,
      author: `user${index % 2}`,
      role: 'user' as const,
      raw_text: `comment ${index}`,
      text: `comment ${index}`,
      model: null,
      reply_to: null,
      seed: null,
      prompt: null
    })),
    topic_id: null,
    config_id: null,
    run_id: null,
    conditions: {},
    extra: {}
  }
}

async function workspaceWith(discussions: Record<string, number>): Promise<Workspace> {
  const workspace = await emptyWorkspace(await tempDir())
  for (const [id, comments] of Object.entries(discussions)) await workspace.discussions.put(discussion(id, comments))
  return workspace
}

async function putSpec(workspace: Workspace): Promise<void> {
  await workspace.annotators.put({
    id: 'tox-spec',
    name: 'Toxicity',
    instructions: 'Rate the comment.',
    labels: [
      { name: 'toxicity', type: 'integer', min: 1, max: 5 },
      { name: 'stance', type: 'category', options: ['pro', 'con', 'neutral'] },
      { name: 'sarcastic', type: 'boolean' }
    ]
  })
}

describe('parseHumanLabelCsv', () => {
  it('reads one row per annotator × comment, every non-key column as a label, empty cells as not given', () => {
    const csv = parseHumanLabelCsv(
      utf8('discussion_id,comment_index,annotator,toxicity,stance\nd1,0,ana,3,pro\nd1,1,ben,,con\n'),
      'labels.csv'
    )
    expect(csv.labels).toEqual(['toxicity', 'stance'])
    expect(csv.keyedBy).toBe('discussion_id+comment_index')
    expect(csv.rows).toEqual([
      { line: 2, discussionId: 'd1', commentIndex: 0, annotator: 'ana', createdAt: null, cells: { toxicity: '3', stance: 'pro' } },
      { line: 3, discussionId: 'd1', commentIndex: 1, annotator: 'ben', createdAt: null, cells: { stance: 'con' } }
    ])
    expect(csv.rejected).toEqual([])
  })

  it('accepts the comment id form <discussion_id>:<comment_index> that sdf export writes', () => {
    const csv = parseHumanLabelCsv(utf8('comment_id,annotator,toxicity\nrun-1.d:4,ana,2\n'), 'labels.csv')
    expect(csv.keyedBy).toBe('comment_id')
    expect(csv.rows[0]).toMatchObject({ discussionId: 'run-1.d', commentIndex: 4 })
  })

  it('names the missing key columns and the columns it found', () => {
    expect(() => parseHumanLabelCsv(utf8('discussion_id,toxicity\nd1,3\n'), 'labels.csv')).toThrow(
      /labels\.csv lacks the columns "annotator" and "discussion_id" and "comment_index".*the header names "discussion_id", "toxicity"/
    )
  })

  it('refuses a file with no label column, an empty file and binary data', () => {
    expect(() => parseHumanLabelCsv(utf8('discussion_id,comment_index,annotator\nd1,0,ana\n'), 'x.csv')).toThrow(/no label columns/)
    expect(() => parseHumanLabelCsv(utf8('  \n'), 'x.csv')).toThrow(/x\.csv is empty/)
    expect(() => parseHumanLabelCsv(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x14]), 'x.xlsx')).toThrow(HumanLabelImportError)
  })

  it('rejects bad rows one by one with their line and keeps the rest', () => {
    const text = [
      'discussion_id,comment_index,annotator,toxicity',
      'd1,0,ana,3',
      'd1,-1,ana,3',
      'd1,two,ana,3',
      ',1,ana,3',
      'd1,1,,3',
      'd1,1,ana,',
      'd1,1,ana,3,extra',
      'd1,2,ana,"multi',
      'line"',
      'd1,3,ana,4'
    ].join('\n')
    const csv = parseHumanLabelCsv(utf8(text), 'x.csv')
    expect(csv.rows.map((row) => row.line)).toEqual([2, 9, 11])
    expect(csv.rejected.map((row) => [row.line, row.reason])).toEqual([
      [3, expect.stringMatching(/comment_index "-1" is not a whole number/)],
      [4, expect.stringMatching(/comment_index "two" is not a whole number/)],
      [5, 'discussion_id is empty'],
      [6, expect.stringMatching(/annotator is empty/)],
      [7, 'gives no value for any label (toxicity)'],
      [8, expect.stringMatching(/has 5 fields but the header names 4/)]
    ])
    expect(csv.rowsRead).toBe(9)
  })

  it('rejects only the rows holding bytes that are not UTF-8', () => {
    const good = utf8('discussion_id,comment_index,annotator,stance\nd1,0,ana,pro\nd1,1,')
    const bytes = new Uint8Array([...good, 0x4a, 0xf6, 0x72, 0x67, ...utf8(',con\nd1,2,ben,pro\n')])
    const csv = parseHumanLabelCsv(bytes, 'x.csv')
    expect(csv.rows.map((row) => row.line)).toEqual([2, 4])
    expect(csv.rejected).toEqual([{ line: 3, reason: expect.stringMatching(/bytes that are not UTF-8.*save the file as UTF-8/) }])
  })
})

describe('importHumanLabels', () => {
  it('stores each row as a human annotation of its comment, numbers as numbers', async () => {
    const workspace = await workspaceWith({ d1: 3 })
    const report = await importHumanLabels(
      workspace,
      utf8('discussion_id,comment_index,annotator,toxicity,stance,created_at\nd1,0,ana,3,pro,2026-01-02\nd1,2,ben,1.5,con,\n'),
      { fileName: '/somewhere/coders.csv' }
    )
    expect(report).toMatchObject({ file: 'coders.csv', rows_read: 2, imported: 2, already_present: 0, rejected_count: 0, annotators: ['ana', 'ben'], discussions: 1 })
    const { annotations } = await workspace.annotations.list('d1')
    expect(annotations).toHaveLength(2)
    expect(annotations[0]).toMatchObject({
      discussion_id: 'd1',
      comment_index: 0,
      annotator: { name: 'ana', kind: 'human', model: null, spec_id: null },
      values: { toxicity: 3, stance: 'pro' },
      parsed: true,
      created_at: '2026-01-02',
      source: { file: 'coders.csv', format: 'human-labels-csv' }
    })
    expect(annotations[1]?.values).toEqual({ toxicity: 1.5, stance: 'con' })
  })

  it('rejects unknown discussions, comments out of range and repeated rows, and imports the others', async () => {
    const workspace = await workspaceWith({ d1: 2 })
    const text = [
      'discussion_id,comment_index,annotator,toxicity',
      'd1,0,ana,3',
      'nowhere,0,ana,3',
      'd1,2,ana,3',
      'd1,0,ana,4',
      'd1,1,ana,2'
    ].join('\n')
    const report = await importHumanLabels(workspace, utf8(text), { fileName: 'x.csv' })
    expect(report.imported).toBe(2)
    expect(report.rejected).toEqual([
      { line: 3, reason: expect.stringMatching(/discussion "nowhere" is not in the workspace/) },
      { line: 4, reason: 'comment_index 2 is out of range: discussion d1 has 2 comments (0–1)' },
      { line: 5, reason: expect.stringMatching(/repeats line 2: ana labels comment 0 of discussion d1 twice/) }
    ])
  })

  it('checks values against a named annotator spec: ranges, options, booleans', async () => {
    const workspace = await workspaceWith({ d1: 4 })
    await putSpec(workspace)
    const text = [
      'discussion_id,comment_index,annotator,toxicity,stance,sarcastic',
      'd1,0,ana,5,Pro,yes',
      'd1,1,ana,7,pro,no',
      'd1,2,ana,2.5,maybe,no',
      'd1,3,ana,1,con,perhaps'
    ].join('\n')
    const report = await importHumanLabels(workspace, utf8(text), { fileName: 'x.csv', annotatorSpecId: 'tox-spec' })
    expect(report.imported).toBe(1)
    expect(report.rejected).toEqual([
      { line: 3, reason: 'toxicity "7" is outside 1–5' },
      { line: 4, reason: 'toxicity "2.5" is not a whole number (expected 1–5); stance "maybe" is not one of "pro", "con", "neutral"' },
      { line: 5, reason: expect.stringMatching(/sarcastic "perhaps" is not true or false/) }
    ])
    const [stored] = (await workspace.annotations.list('d1')).annotations
    expect(stored?.values).toEqual({ toxicity: 5, stance: 'pro', sarcastic: true })
    expect(stored?.annotator.spec_id).toBe('tox-spec')
  })

  it('refuses a label column the named spec lacks, and a spec the workspace lacks', async () => {
    const workspace = await workspaceWith({ d1: 1 })
    await putSpec(workspace)
    await expect(
      importHumanLabels(workspace, utf8('discussion_id,comment_index,annotator,civility\nd1,0,ana,3\n'), { fileName: 'x.csv', annotatorSpecId: 'tox-spec' })
    ).rejects.toThrow(/"civility" is not a label of annotator spec "tox-spec" \(its labels: toxicity, stance, sarcastic\)/)
    await expect(
      importHumanLabels(workspace, utf8('discussion_id,comment_index,annotator,toxicity\nd1,0,ana,3\n'), { fileName: 'x.csv', annotatorSpecId: 'nope' })
    ).rejects.toThrow(/no annotator spec "nope" \(it has: tox-spec\)/)
  })

  it('adds nothing when the same file is imported twice, and never overwrites a stored label', async () => {
    const workspace = await workspaceWith({ d1: 2 })
    const first = 'discussion_id,comment_index,annotator,toxicity\nd1,0,ana,3\nd1,1,ana,2\n'
    await importHumanLabels(workspace, utf8(first), { fileName: 'x.csv' })
    const again = await importHumanLabels(workspace, utf8(first), { fileName: 'x.csv' })
    expect(again).toMatchObject({ imported: 0, already_present: 2, rejected_count: 0 })
    const changed = await importHumanLabels(workspace, utf8('discussion_id,comment_index,annotator,toxicity\nd1,0,ana,5\n'), { fileName: 'y.csv' })
    expect(changed.imported).toBe(0)
    expect(changed.rejected[0]?.reason).toMatch(/ana already labelled comment 0 of discussion d1 differently .*toxicity=3; this row: toxicity=5/)
    const { annotations } = await workspace.annotations.list('d1')
    expect(annotations.map((annotation) => annotation.values['toxicity'])).toEqual([3, 2])
  })

  it('treats a label the coder saved another way (another id) as already given', async () => {
    const workspace = await workspaceWith({ d1: 1 })
    const [stored] = (
      await importHumanLabels(workspace, utf8('discussion_id,comment_index,annotator,toxicity\nd1,0,ana,3\n'), { fileName: 'x.csv' }).then(() =>
        workspace.annotations.list('d1')
      )
    ).annotations
    await workspace.annotations.append('d1', [{ ...stored!, id: 'saved-in-the-app-1', values: { toxicity: 4 } }])
    const report = await importHumanLabels(workspace, utf8('discussion_id,comment_index,annotator,toxicity\nd1,0,ana,3\n'), { fileName: 'y.csv' })
    expect(report.imported).toBe(0)
    expect(report.rejected[0]?.reason).toMatch(/ana already labelled comment 0 of discussion d1 differently .*toxicity=4; this row: toxicity=3/)
  })

  it('gives LLM and human labels of the same comments to the agreement coefficients side by side', async () => {
    const workspace = await workspaceWith({ d1: 4 })
    const llm: Annotation[] = [4, 2, 1, 5].map((toxicity, index) => ({
      id: annotationId('llm-spec', 'd1', index),
      discussion_id: 'd1',
      comment_index: index,
      position: index,
      quoted_text: null,
      quoted_author: null,
      annotator: { name: 'llama', kind: 'llm', model: 'llama-8b', prompt: 'Rate.', persona: null, spec_id: 'llm-spec' },
      values: { toxicity },
      raw_text: JSON.stringify({ toxicity }),
      parsed: true,
      created_at: null
    }))
    await workspace.annotations.append('d1', llm)
    const csv = ['comment_id,annotator,toxicity', 'd1:0,ana,4', 'd1:1,ana,2', 'd1:2,ana,1', 'd1:3,ana,5', 'd1:0,ben,4', 'd1:1,ben,3'].join('\n')
    await importHumanLabels(workspace, utf8(csv), { fileName: 'coders.csv' })
    const { annotations } = await workspace.annotations.list('d1')
    const data = reliabilityDataFromAnnotations(annotations, 'toxicity')
    expect(data.annotators).toEqual(['ana', 'ben', 'llama'])
    expect(data.units).toEqual(['d1#0', 'd1#1', 'd1#2', 'd1#3'])
    expect(data.values).toEqual([
      [4, 4, 4],
      [2, 3, 2],
      [1, null, 1],
      [5, null, 5]
    ])
    const alpha = krippendorffAlpha(data, { level: 'interval' })
    expect(alpha).toBeGreaterThan(0.8)
    expect(alpha).toBeLessThan(1)
  })
})
