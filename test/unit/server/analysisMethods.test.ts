import { appendFile, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AnnotationSchema, DiscussionSchema } from '../../../src/core/index.js'
import { attachmentDisposition } from '../../../src/server/downloads.js'
import { fillResultsWorkspace, planAnnotations, planDiscussion, PLANS } from './resultsWorkspace.js'
import { connectClient, rawRequest, startTestServer, TOKEN } from './serverHarness.js'

interface Failure {
  code: string
  message: string
  details?: { issues: { path: (string | number)[]; message: string }[] }
}

async function failure(call: Promise<unknown>): Promise<Failure> {
  return call.then(
    () => {
      throw new Error('the call succeeded, but an error was expected')
    },
    (error: unknown) => error as Failure
  )
}

async function resultsServer() {
  const started = await startTestServer()
  await fillResultsWorkspace(started.workspace)
  return { ...started, client: connectClient(started.server) }
}

const AUTH = { authorization: `Bearer ${TOKEN}` }

describe('discussions.search over the WebSocket', () => {
  it('lists every discussion with its light summary and the facets for filter menus', async () => {
    const { client } = await resultsServer()
    const result = await client.api['discussions.search']({})
    expect(result.total).toBe(4)
    expect(result.items.map((item) => item.id)).toEqual(['d-none-1', 'd-none-2', 'd-rules-1', 'd-rules-2'])
    const first = result.items[0]!
    expect(first).toMatchObject({
      title: 'A town hall about the budget (d-none-1)',
      conditions: { moderator_instructions: 'none', conv_variant: 'B' },
      model: 'model-b',
      commentCount: 5,
      participants: ['alice', 'bob', 'mod'],
      createdAt: '26-11-27-10-00',
      annotationCount: 6
    })
    // toxicity: alice 1, bob 4, alice's last 1 and 2 → (1 + 4 + 1.5) / 3
    expect(first.labelMeans['toxicity']).toBeCloseTo(6.5 / 3, 10)
    // one of six rated (comment, label) cells differs by one
    expect(first.disagreement).toBeCloseTo(1 / 6, 10)
    expect(result.conditionKeys).toEqual([
      { key: 'conv_variant', values: ['A', 'B'] },
      { key: 'moderator_instructions', values: ['none', 'rules'] }
    ])
    expect(result.labels).toEqual(['stance', 'toxicity'])
    expect(result.models).toEqual(['model-a', 'model-b'])
    expect(result.problems).toEqual([])
  })

  it('filters by text, condition, model, persona attribute, label range and disagreement, and pages', async () => {
    const { client } = await resultsServer()
    const ids = async (input: Parameters<typeof client.api['discussions.search']>[0]) =>
      (await client.api['discussions.search'](input)).items.map((item) => item.id)
    expect(await ids({ text: 'CYCLISTS idiots' })).toEqual(['d-rules-2'])
    expect(await ids({ text: 'trains nowhere-to-be-found' })).toEqual([])
    expect(await ids({ conditions: { moderator_instructions: 'rules' } })).toEqual(['d-rules-1', 'd-rules-2'])
    expect(await ids({ model: 'model-b' })).toEqual(['d-none-1', 'd-none-2'])
    expect(await ids({ personaAttribute: { key: 'leaning', value: 'LEFT' } })).toHaveLength(4)
    expect(await ids({ personaAttribute: { key: 'sex', value: 'nonbinary' } })).toEqual([])
    // d-rules-2 has no third comment, so its toxicity mean is (1 + 4) / 2 = 2.5
    expect(await ids({ label: { name: 'toxicity', min: 2.4 } })).toEqual(['d-rules-2'])
    expect(await ids({ label: { name: 'no_such_label' } })).toEqual([])
    expect(await ids({ minDisagreement: 0.1 })).toEqual(['d-none-1', 'd-none-2', 'd-rules-1'])
    expect(await ids({ sort: { by: 'label', label: 'toxicity', descending: true } })).toEqual(['d-rules-2', 'd-none-1', 'd-none-2', 'd-rules-1'])
    expect(await ids({ sort: { by: 'disagreement' } })).toEqual(['d-rules-2', 'd-none-1', 'd-none-2', 'd-rules-1'])
    expect(await ids({ sort: { by: 'id', descending: true } })).toEqual(['d-rules-2', 'd-rules-1', 'd-none-2', 'd-none-1'])
    expect(await failure(client.api['discussions.search']({ sort: { by: 'label' } }))).toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('sort.label')
    })
    const page = await client.api['discussions.search']({ offset: 1, limit: 2 })
    expect(page.total).toBe(4)
    expect(page.items.map((item) => item.id)).toEqual(['d-none-2', 'd-rules-1'])
  })

  it('sees files changed behind its back (new annotations, an edited discussion, a broken file)', async () => {
    const { client, workspace } = await resultsServer()
    await client.api['discussions.search']({})
    const extra = AnnotationSchema.parse({
      id: 'late-label',
      discussion_id: 'd-rules-1',
      comment_index: 1,
      position: 0,
      annotator: { name: 'llm-c', kind: 'llm' },
      values: { toxicity: 5 },
      raw_text: '',
      parsed: true
    })
    await appendFile(workspace.annotations.linkedPath('d-rules-1'), `${JSON.stringify(extra)}\n`)
    const edited = planDiscussion({ ...PLANS[0]!, texts: ['Completely new words here', 'x', 'y'] })
    await writeFile(workspace.discussions.pathOf('d-none-2'), JSON.stringify({ ...edited, id: 'd-none-2' }))
    await writeFile(workspace.discussions.pathOf('d-rules-2'), '{ broken')
    const result = await client.api['discussions.search']({})
    expect(result.items.map((item) => item.id)).toEqual(['d-none-1', 'd-none-2', 'd-rules-1'])
    expect(result.items.find((item) => item.id === 'd-rules-1')!.annotationCount).toBe(7)
    expect((await client.api['discussions.search']({ text: 'completely new' })).items.map((item) => item.id)).toEqual(['d-none-2'])
    expect(result.problems).toEqual([{ file: workspace.discussions.pathOf('d-rules-2'), message: expect.stringContaining('not valid JSON') }])
  })

  it('refuses bad filters with the field named', async () => {
    const { client } = await resultsServer()
    const error = await failure(client.api['discussions.search']({ limit: 5000 }))
    expect(error.code).toBe('invalid-input')
    expect(error.details?.issues[0]).toMatchObject({ path: ['limit'], message: expect.stringContaining('1000') })
  })
})

describe('the analyses over the WebSocket', () => {
  it('charts a label over turns with one series per condition', async () => {
    const { client } = await resultsServer()
    const result = await client.api['analysis.labelByTurn']({ label: 'toxicity', groupBy: 'condition', conditionKey: 'moderator_instructions' })
    expect(result.series.map((series) => series.group)).toEqual(['none', 'rules'])
    const none = result.series[0]!.points
    expect(none.map((p) => p.turn)).toEqual([1, 2, 4])
    expect(none[1]).toMatchObject({ mean: 4, n: 2, sd: 0, lo: 4, hi: 4 })
    const byUserTurn = await client.api['analysis.labelByTurn']({ label: 'toxicity', x: 'user_turn' })
    expect(byUserTurn.series[0]!.points.map((p) => p.turn)).toEqual([1, 2, 3])
  })

  it('says which field a grouping is missing', async () => {
    const { client } = await resultsServer()
    const error = await failure(client.api['analysis.labelByTurn']({ label: 'toxicity', groupBy: 'condition' }))
    expect(error).toMatchObject({ code: 'invalid-input', message: expect.stringContaining('conditionKey') })
    const persona = await failure(client.api['analysis.compareGroups']({ label: 'toxicity', groupBy: 'persona' }))
    expect(persona).toMatchObject({ code: 'invalid-input', message: expect.stringContaining('personaField') })
  })

  it('compares groups with an omnibus test and Holm-corrected pairs', async () => {
    const { client } = await resultsServer()
    const anova = await client.api['analysis.compareGroups']({ label: 'toxicity', groupBy: 'persona', personaField: 'sex' })
    expect(anova.test).toBe('anova')
    expect(anova.groups.map((g) => [g.group, g.n, g.mean])).toEqual([
      ['female', 7, expect.closeTo(8.5 / 7, 10)],
      ['male', 4, 4]
    ])
    expect(anova.df).toHaveLength(2)
    expect(anova.p).toBeLessThan(0.001)
    expect(anova.posthoc).toEqual([expect.objectContaining({ a: 'female', b: 'male', test: 'welch-t', pHolm: expect.any(Number) })])
    const kw = await client.api['analysis.compareGroups']({ label: 'toxicity', groupBy: 'model', test: 'kruskal-wallis' })
    expect(kw).toMatchObject({ test: 'kruskal-wallis', df: [1] })
    expect(kw.posthoc[0]!.test).toBe('dunn')
    const single = await failure(client.api['analysis.compareGroups']({ label: 'toxicity', groupBy: 'none' }))
    expect(single).toMatchObject({ code: 'not-computable', message: expect.stringContaining('Fewer than two groups') })
  })

  it('answers participation and moderation rates per discussion and group', async () => {
    const { client } = await resultsServer()
    const participation = await client.api['analysis.participation']({ groupBy: 'condition', conditionKey: 'moderator_instructions' })
    expect(participation.discussions.find((d) => d.id === 'd-rules-2')).toEqual({ id: 'd-rules-2', group: 'rules', turns: 3, spoken: 2, rate: 2 / 3 })
    expect(participation.rows.map((row) => [row.group, row.mean])).toEqual([
      ['none', 1],
      ['rules', expect.closeTo(5 / 6, 10)]
    ])
    expect(participation.overTime.find((p) => p.group === 'rules' && p.turn === 3)).toMatchObject({ mean: 0.5, n: 2 })
    expect(participation.comparison?.test).toBe('anova')
    const moderation = await client.api['analysis.moderation']({})
    expect(moderation.rows).toEqual([expect.objectContaining({ group: 'all', mean: 0.5, n: 4 })])
    expect(moderation.comparison).toBeNull()
    const role = await failure(client.api['analysis.participation']({ groupBy: 'role' as never }))
    expect(role.code).toBe('invalid-input')
  })

  it('answers comment lengths with a histogram, and diversity per discussion', async () => {
    const { client } = await resultsServer()
    const lengths = await client.api['analysis.commentLengths']({ groupBy: 'role', binWidth: 5, clip: 20 })
    expect(lengths.rows.map((row) => row.group)).toEqual(['moderator', 'user'])
    expect(lengths.histogram.filter((bin) => bin.group === 'user').map((bin) => bin.count)).toEqual([7, 4, 0, 0])
    expect(lengths.comparison?.groups).toHaveLength(2)
    const diversity = await client.api['analysis.diversity']({ groupBy: 'model' })
    expect(diversity.discussions).toHaveLength(4)
    for (const row of diversity.discussions) expect(row.diversity).toBeGreaterThan(0.5)
    expect(diversity.rows.map((row) => row.group)).toEqual(['model-a', 'model-b'])
  })

  it('measures the troll effect as bars with Welch tests', async () => {
    const { client } = await resultsServer()
    const result = await client.api['analysis.trollEffect']({ label: 'toxicity', k: 1 })
    expect(result).toMatchObject({ label: 'toxicity', k: 1, discussionsWithTrolls: 4, discussionsWithoutTrolls: 0 })
    expect(result.rows.map((row) => [row.comparison, row.group])).toEqual([
      ['by-discussion', 'with trolls'],
      ['after-troll', 'right after a troll'],
      ['after-troll', 'otherwise']
    ])
    expect(result.tests.byDiscussion.p).toBeNull()
    const bad = await failure(client.api['analysis.trollEffect']({ label: 'toxicity', k: 0 }))
    expect(bad).toMatchObject({ code: 'invalid-input', details: { issues: [expect.objectContaining({ path: ['k'] })] } })
  })

  it('answers an empty series for a label nobody gave', async () => {
    const { client } = await resultsServer()
    const result = await client.api['analysis.labelByTurn']({ label: 'politeness' })
    expect(result.series).toEqual([])
  })
})

describe('agreement.matrix over the WebSocket', () => {
  it('gives the pairwise matrix, the shared comments and the overall coefficient with a bootstrap interval', async () => {
    const { client } = await resultsServer()
    const result = await client.api['agreement.matrix']({ label: 'toxicity', metric: 'alpha', level: 'interval', replicates: 200 })
    expect(result.annotators).toEqual(['llm-a', 'llm-b'])
    expect(result.matrix[0]![0]).toBeNull()
    expect(result.matrix[0]![1]).toBe(result.matrix[1]![0])
    expect(result.matrix[0]![1]).toBeCloseTo(result.overall.value!, 10)
    expect(result.shared[0]![1]).toBe(11)
    expect(result.overall.units).toBe(11)
    expect(result.overall.value).toBeGreaterThan(0.8)
    expect(result.overall.lo).toBeLessThanOrEqual(result.overall.value!)
    expect(result.overall.hi).toBeGreaterThanOrEqual(result.overall.value!)
    expect(result.overall.replicates).toBe(200)
    expect(result.overall.note).toBeNull()
    // the same data give the same interval (seeded)
    expect(await client.api['agreement.matrix']({ label: 'toxicity', metric: 'alpha', level: 'interval', replicates: 200 })).toEqual(result)
  })

  it('explains coefficients that do not apply, and labels nobody gave', async () => {
    const { client } = await resultsServer()
    const fleiss = await failure(client.api['agreement.matrix']({ label: 'toxicity', metric: 'fleiss', level: 'ordinal' }))
    expect(fleiss).toMatchObject({ code: 'invalid-input', message: expect.stringContaining('nominal data only') })
    const none = await client.api['agreement.matrix']({ label: 'politeness' })
    expect(none.overall).toMatchObject({ value: null, units: 0, note: expect.stringContaining('No comment has a value') })
    const text = await client.api['agreement.matrix']({ label: 'stance', metric: 'alpha', level: 'interval' })
    expect(text.overall.value).toBeNull()
    expect(text.overall.note).toMatch(/./)
  })
})

describe('human annotation over the WebSocket', () => {
  it('queues the comments a human has not labelled, blind, and stores labels as human annotations', async () => {
    const { client, workspace } = await resultsServer()
    const changes: unknown[] = []
    let live = false
    client.subscribe('workspace.changed', { onEvent: (event) => changes.push(event), onLive: () => (live = true) })
    await expect.poll(() => live).toBe(true)
    const queue = await client.api['annotations.humanQueue']({ annotatorSpecId: 'toxicity', annotator: 'coder-1', discussionIds: ['d-rules-1'] })
    expect(queue.spec).toMatchObject({ id: 'toxicity', instructions: expect.any(String) })
    expect(queue.spec.labels.map((label) => label['name'])).toEqual(['toxicity', 'stance'])
    // moderators left out by the spec's context rule, silent turns skipped
    expect(queue.items.map((item) => item.commentIndex)).toEqual([0, 1, 2, 4])
    expect(queue.items[2]).toEqual({
      discussionId: 'd-rules-1',
      commentIndex: 2,
      text: 'Parks are a waste of money',
      context: [{ author: 'alice', text: 'I like the park plan' }],
      topic: 'A town hall about the budget (d-rules-1)'
    })
    expect(queue.more).toBe(false)
    // blind: nothing of the other annotators' labels or the personas crosses
    const wire = JSON.stringify(queue)
    for (const secret of ['llm-a', 'troll', 'female', 'toxicity":4']) expect(wire).not.toContain(secret)

    const { annotation } = await client.api['annotations.putHuman']({
      annotator: ' coder-1 ',
      annotatorSpecId: 'toxicity',
      discussionId: 'd-rules-1',
      commentIndex: 2,
      values: { toxicity: 5, stance: null }
    })
    const stored = AnnotationSchema.parse(annotation)
    expect(stored.annotator).toMatchObject({ name: 'coder-1', kind: 'human', spec_id: 'toxicity' })
    const journal = (await workspace.annotations.list('d-rules-1')).annotations
    expect(journal.map((a) => a.id)).toContain(stored.id)
    await expect.poll(() => changes).toEqual([{ kinds: ['discussion'] }])
    const next = await client.api['annotations.humanQueue']({ annotatorSpecId: 'toxicity', annotator: 'coder-1', discussionIds: ['d-rules-1'], limit: 2 })
    expect(next.items.map((item) => item.commentIndex)).toEqual([0, 1])
    expect(next.more).toBe(true)
  })

  it('lets a human correct a label: analyses and agreement count the latest one', async () => {
    const { client } = await resultsServer()
    for (const toxicity of [1, 4]) {
      await client.api['annotations.putHuman']({ annotator: 'coder-1', discussionId: 'd-none-1', commentIndex: 2, values: { toxicity } })
    }
    const matrix = await client.api['agreement.matrix']({ label: 'toxicity', level: 'interval' })
    expect(matrix.annotators).toEqual(['coder-1', 'llm-a', 'llm-b'])
    expect(matrix.shared[0]![1]).toBe(1)
    const search = await client.api['discussions.search']({ text: 'clueless' })
    // comment 2: llm-a 4, llm-b 4, coder-1 4 (the correction, not the 1)
    expect(search.items[0]!.labelMeans['toxicity']).toBeCloseTo(6.5 / 3, 10)
  })

  it('refuses labels for comments, discussions, labels or values that do not exist', async () => {
    const { client } = await resultsServer()
    const base = { annotator: 'coder-1', annotatorSpecId: 'toxicity', discussionId: 'd-rules-1', commentIndex: 1, values: { toxicity: 3 } }
    expect(await failure(client.api['annotations.putHuman']({ ...base, commentIndex: 9 }))).toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('has 5 comments (indices 0 to 4)')
    })
    expect(await failure(client.api['annotations.putHuman']({ ...base, discussionId: 'nope' }))).toMatchObject({ code: 'not-found' })
    expect(await failure(client.api['annotations.putHuman']({ ...base, annotatorSpecId: 'nope' }))).toMatchObject({ code: 'not-found' })
    expect(await failure(client.api['annotations.putHuman']({ ...base, values: { rudeness: 2 } }))).toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('"rudeness" is not a label of annotator "toxicity"')
    })
    expect(await failure(client.api['annotations.putHuman']({ ...base, values: { toxicity: 9 } }))).toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('toxicity')
    })
    expect(await failure(client.api['annotations.putHuman']({ ...base, values: { stance: 'maybe' } }))).toMatchObject({ code: 'invalid-input' })
    expect(await failure(client.api['annotations.putHuman']({ ...base, values: {} }))).toMatchObject({ code: 'invalid-input' })
    expect(await failure(client.api['annotations.putHuman']({ ...base, annotator: '   ' }))).toMatchObject({ code: 'invalid-input' })
    expect(await failure(client.api['annotations.humanQueue']({ annotatorSpecId: 'nope', annotator: 'x' }))).toMatchObject({ code: 'not-found' })
  })
})

describe('annotation jobs without a model', () => {
  it('answers unavailable, saying how to load one', async () => {
    const { client } = await resultsServer()
    const error = await failure(client.api['annotations.startJob']({ annotatorIds: ['toxicity'], discussionIds: 'all' }))
    expect(error).toMatchObject({ code: 'unavailable', message: expect.stringContaining('--model') })
    expect(await failure(client.api['annotations.cancelJob']({ jobId: 'nope' }))).toMatchObject({ code: 'not-found' })
  })
})

describe('export.tables and the download route', () => {
  it('writes CSV tables under exports/ and serves them, with the token only, as attachments', async () => {
    const { client, server, workspace } = await resultsServer()
    const result = await client.api['export.tables']({ format: 'csv' })
    expect(result.folder).toMatch(/^exports\/[\w-]+-csv$/)
    const names = result.files.map((file) => file.name)
    expect(names).toEqual(expect.arrayContaining(['discussions.csv', 'comments.csv', 'annotations.csv', 'sdf_flat.csv']))
    const comments = result.files.find((file) => file.name === 'comments.csv')!
    expect(comments).toMatchObject({ rows: 20, url: `/download/${result.folder}/comments.csv` })
    expect(comments.bytes).toBe((await readFile(join(workspace.root, result.folder, 'comments.csv'))).length)

    const download = await rawRequest(server.port, comments.url!, { headers: AUTH })
    expect(download.status).toBe(200)
    expect(download.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(download.headers['content-disposition']).toBe(`attachment; filename="comments.csv"; filename*=UTF-8''comments.csv`)
    const lines = download.body.trimEnd().split(/\r?\n/)
    expect(lines[0]).toMatch(/discussion_id/)
    expect(download.body).toBe(await readFile(join(workspace.root, result.folder, 'comments.csv'), 'utf8'))
    const head = await rawRequest(server.port, comments.url!, { method: 'HEAD', headers: AUTH })
    expect(head).toMatchObject({ status: 200, body: '' })

    expect((await rawRequest(server.port, comments.url!)).status).toBe(401)
    expect((await rawRequest(server.port, comments.url!, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401)
  })

  it('refuses paths outside exports/, traversal in any spelling, and other methods', async () => {
    const { client, server, workspace } = await resultsServer()
    const { folder } = await client.api['export.tables']({ format: 'jsonl' })
    await writeFile(join(workspace.root, 'exports', 'ok.txt'), 'fine')
    const status = async (path: string, method = 'GET') => (await rawRequest(server.port, path, { method, headers: AUTH })).status
    expect(await status('/download/exports/ok.txt')).toBe(200)
    expect(await status(`/download/${folder}/comments.jsonl`)).toBe(200)
    expect(await status('/download/sdf-workspace.json')).toBe(404)
    expect(await status('/download/discussions/d-rules-1.json')).toBe(404)
    expect(await status('/download/exports/')).toBe(404)
    for (const path of [
      '/download/exports/../sdf-workspace.json',
      '/download/exports/%2e%2e/sdf-workspace.json',
      '/download/exports/..%2fsdf-workspace.json',
      '/download/exports/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/download/exports/..\\sdf-workspace.json',
      '/download/exports/x%00.csv',
      '/download/exports/%E0%A4%A'
    ]) {
      expect(await status(path), path).toBe(400)
    }
    expect(await status('/download/exports/missing.csv')).toBe(404)
    expect(await status('/download/exports/ok.txt', 'POST')).toBe(405)
  })

  it('names attachments safely whatever the file name', () => {
    expect(attachmentDisposition('a "b"\\c.csv')).toBe(`attachment; filename="a _b__c.csv"; filename*=UTF-8''a%20%22b%22%5Cc.csv`)
    expect(attachmentDisposition('tëst.csv')).toBe(`attachment; filename="t_st.csv"; filename*=UTF-8''t%C3%ABst.csv`)
  })

  it('writes Parquet too, served as Parquet', async () => {
    const { client, server } = await resultsServer()
    const result = await client.api['export.tables']({ format: 'parquet', discussionIds: ['d-rules-1'] })
    const annotations = result.files.find((file) => file.name === 'annotations.parquet')!
    expect(annotations).toMatchObject({ rows: 6, url: `/download/${result.folder}/annotations.parquet` })
    const download = await rawRequest(server.port, annotations.url!, { headers: AUTH })
    expect(download.status).toBe(200)
    expect(download.headers['content-type']).toBe('application/vnd.apache.parquet')
    expect(Number(download.headers['content-length'])).toBe(annotations.bytes)
  })

  it('refuses an unknown format', async () => {
    const { client } = await resultsServer()
    expect(await failure(client.api['export.tables']({ format: 'xlsx' as never }))).toMatchObject({ code: 'invalid-input' })
  })
})

describe('a workspace with nothing to analyse', () => {
  it('answers empty results rather than errors', async () => {
    const { server } = await startTestServer()
    const client = connectClient(server)
    const search = await client.api['discussions.search']({})
    expect(search).toMatchObject({ total: 0, items: [], conditionKeys: [], labels: [] })
    expect((await client.api['analysis.participation']({})).rows).toEqual([])
    const schema = DiscussionSchema.safeParse(planDiscussion(PLANS[0]!))
    expect(schema.success).toBe(true)
    expect(planAnnotations(planDiscussion(PLANS[0]!))).toHaveLength(6)
  })
})
