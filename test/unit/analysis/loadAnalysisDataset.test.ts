import { appendFile, writeFile } from 'node:fs/promises'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  AnnotationSchema,
  DiscussionSchema,
  fastAnnotation,
  importIntoWorkspace,
  labelByTurn,
  loadAnalysisDataset,
  parseDiscussionRecord,
  participationRate,
  readAnnotationJournal,
  ValidatedRecordCache,
  Workspace
} from '../../../src/core/index.js'
import { SDF_FIXTURES } from '../../helpers/fixtures.js'
import { tempDir } from '../../helpers/tempDir.js'

const validAnnotation = {
  id: 'a-1',
  discussion_id: 'd-1',
  comment_index: 2,
  position: 0,
  annotator: {
    name: 'llama',
    kind: 'llm',
    model: 'llama-70b',
    prompt: 'Rate toxicity',
    persona: { username: ' annotator ', age: 30, extra_attributes: {} }
  },
  values: { toxicity: 3, note: 'x', flag: true, missing: null },
  raw_text: 'Toxicity=3',
  parsed: true,
  unknown_key: 'dropped',
  source: { file: 'a.json', format: 'sdf-v0-annotation', sha256: 'a'.repeat(64), imported_at: '2026-01-01T00:00:00.000Z' }
}

describe('reading a workspace for analysis', () => {
  it('loads every discussion of the imported SDF fixtures with its linked labels', async () => {
    const workspace = await Workspace.create(await tempDir())
    await importIntoWorkspace(workspace, [SDF_FIXTURES])
    const dataset = await loadAnalysisDataset(workspace)
    expect(dataset.problems).toEqual([])
    const summary = await workspace.summary()
    expect(dataset.discussions).toHaveLength(summary.discussions)
    const ratings = dataset.discussions.flatMap((d) => d.comments.flatMap((c) => c.ratings))
    expect(ratings).toHaveLength(summary.annotations)
    expect(labelByTurn(dataset, { label: 'toxicity' }).rows.length).toBeGreaterThan(0)
    expect(participationRate(dataset, { groupBy: { by: 'condition', key: 'conv_variant' } }).discussions.length).toBeGreaterThan(0)
  })

  it('reports broken files and journal lines and goes on without them', async () => {
    const workspace = await Workspace.create(await tempDir())
    await importIntoWorkspace(workspace, [SDF_FIXTURES])
    const [first, second] = await workspace.discussions.ids()
    await writeFile(workspace.discussions.pathOf(first!), '{ not json')
    await appendFile(workspace.annotations.linkedPath(second!), '{"id": "broken"}\n')
    const dataset = await loadAnalysisDataset(workspace)
    expect(dataset.problems.map((problem) => problem.message)).toEqual([
      expect.stringContaining('not valid JSON'),
      expect.stringMatching(/^line \d+: field discussion_id/)
    ])
    expect(dataset.discussions.map((d) => d.id)).not.toContain(first)
  })
})

describe('fast validation', () => {
  it('gives exactly what AnnotationSchema.parse gives for a valid annotation', () => {
    const cache = new ValidatedRecordCache()
    const expected = AnnotationSchema.parse(validAnnotation)
    expect(JSON.stringify(fastAnnotation(validAnnotation, cache))).toBe(JSON.stringify(expected))
    // the second time the annotator comes from the cache: the same validated object
    const again = fastAnnotation(structuredClone(validAnnotation), cache)!
    expect(again.annotator).toBe(fastAnnotation(validAnnotation, cache)!.annotator)
    expect(again.annotator.persona?.username).toBe('annotator')
  })

  it('never accepts what zod rejects, and returns zod\'s output for what it accepts', () => {
    const cache = new ValidatedRecordCache()
    const mutations = fc.record({
      key: fc.constantFrom('id', 'discussion_id', 'comment_index', 'position', 'values', 'raw_text', 'parsed', 'annotator', 'quoted_text', 'source'),
      value: fc.oneof(fc.constant(null), fc.constant(undefined), fc.integer({ min: -2, max: 3 }), fc.double(), fc.string(), fc.boolean(), fc.constant({}), fc.constant({ a: [1] }), fc.constant('bad..id'))
    })
    fc.assert(
      fc.property(mutations, ({ key, value }) => {
        const record: Record<string, unknown> = { ...structuredClone(validAnnotation), [key]: value }
        const zod = AnnotationSchema.safeParse(record)
        const fast = fastAnnotation(record, cache)
        if (fast !== undefined) {
          expect(zod.success).toBe(true)
          expect(JSON.stringify(fast)).toBe(JSON.stringify(zod.data))
        }
        // (fast === undefined with zod.success is allowed: the journal reader then asks zod)
      }),
      { numRuns: 300 }
    )
  })

  it('checks discussions like DiscussionSchema, cross-field rules included', () => {
    const discussion = {
      id: 'd',
      participants: [
        { username: 'a', role: 'user', persona: { username: 'a' }, persona_origin: 'structured' },
        { username: 'a', role: 'user', persona: { username: 'a' }, persona_origin: 'structured' }
      ],
      comments: [{ index: 1, author: 'a', role: 'user', raw_text: '', text: '' }]
    }
    const slow = DiscussionSchema.safeParse(discussion)
    expect(slow.success).toBe(false)
    expect(parseDiscussionRecord(discussion)).toEqual({ message: expect.stringContaining('duplicate username "a"') })
    const fixed = { ...discussion, participants: [discussion.participants[0]], comments: [{ ...discussion.comments[0], index: 0 }] }
    expect(parseDiscussionRecord(fixed)).toEqual({ discussion: DiscussionSchema.parse(fixed) })
    expect(parseDiscussionRecord({ ...fixed, comments: [{ ...discussion.comments[0], index: 1 }] })).toEqual({
      message: expect.stringContaining('has index 1')
    })
  })
})

describe('annotation journals', () => {
  it('skips a torn last line and reports bad lines by number', async () => {
    const folder = await tempDir()
    const path = `${folder}/j.jsonl`
    await writeFile(path, `${JSON.stringify(validAnnotation)}\nnot json\n${JSON.stringify({ ...validAnnotation, id: 'a-2' })}\n{"id":`)
    const journal = readAnnotationJournal(path, new ValidatedRecordCache())
    expect(journal.annotations.map((annotation) => annotation.id)).toEqual(['a-1', 'a-2'])
    expect(journal.problems.map((problem) => problem.message)).toEqual([
      'line 2: not valid JSON',
      'line 4: incomplete last record (a write was cut short); ignored'
    ])
    expect(readAnnotationJournal(`${folder}/missing.jsonl`, new ValidatedRecordCache())).toEqual({ annotations: [], problems: [] })
  })
})
