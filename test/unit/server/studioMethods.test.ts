import { readFile, writeFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AnnotationSchema, APP_SETTINGS_FILE, type Workspace } from '../../../src/core/index.js'
import { SDF_FIXTURES } from '../../helpers/fixtures.js'
import { INSTRUCTIONS, PERSONAS, testDesign, TOPICS } from '../engine/library.js'
import { connectClient, startTestServer } from './serverHarness.js'

const ANNOTATOR = {
  id: 'toxicity',
  name: 'Toxicity',
  instructions: 'Rate the last comment.',
  labels: [{ name: 'toxicity', type: 'integer', min: 1, max: 5 }]
}

async function withLibrary(workspace: Workspace): Promise<void> {
  for (const persona of PERSONAS) await workspace.personas.put(persona)
  for (const topic of TOPICS) await workspace.topics.put(topic)
  for (const instruction of INSTRUCTIONS) await workspace.instructions.put(instruction)
}

/** Two annotators rating each of the first `count` comments of a discussion. */
function ratings(discussionId: string, values: readonly (readonly [number, number])[]) {
  return values.flatMap(([a, b], index) =>
    [a, b].map((value, annotator) =>
      AnnotationSchema.parse({
        id: `${discussionId}-${index}-${annotator}`,
        discussion_id: discussionId,
        comment_index: index,
        position: index,
        annotator: { name: `annotator-${annotator}`, kind: 'llm' },
        values: { toxicity: value },
        raw_text: `Toxicity=${value}`,
        parsed: true
      })
    )
  )
}

async function expectError(call: Promise<unknown>, code: string, message?: RegExp) {
  const error = await call.then(
    () => null,
    (failure: unknown) => failure as { code: string; message: string }
  )
  expect(error?.code).toBe(code)
  if (message) expect(error?.message).toMatch(message)
}

describe('designs, annotators, annotations, agreement, models, runs and settings over the WebSocket', () => {
  it('stores designs and annotator specs like the other records, and previews a design', async () => {
    const { server, workspace } = await startTestServer()
    await withLibrary(workspace)
    const client = connectClient(server)
    const design = testDesign()
    const stored = await client.api['designs.put']({ record: design as never })
    expect(stored.id).toBe('pilot')
    expect((await client.api['designs.list']({})).items.map((item) => item.id)).toEqual(['pilot'])
    expect((await client.api['designs.get']({ id: 'pilot' })).name).toBe('Pilot')
    await expectError(client.api['designs.put']({ record: { id: 'bad' } }), 'invalid-input')

    await client.api['annotators.put']({ record: ANNOTATOR })
    expect((await client.api['annotators.get']({ id: 'toxicity' })).labels).toHaveLength(1)
    expect((await client.api['annotators.list']({})).items).toHaveLength(1)
    expect(await client.api['annotators.delete']({ id: 'toxicity' })).toEqual({ deleted: true })

    const preview = await client.api['designs.preview']({ design: design as never, limit: 1 })
    expect(preview.counts.discussions).toBe(4)
    expect(preview.estimate.discussions).toBe(4)
    expect(preview.estimate.seconds).toBeGreaterThan(0)
    expect(preview.rates).toEqual({ tokensPerSecond: 20, promptTokensPerSecond: 200 })
    expect(preview.specs).toHaveLength(1)
    const faster = await client.api['designs.preview']({ design: design as never, tokensPerSecond: 200 })
    expect(faster.estimate.seconds).toBeLessThan(preview.estimate.seconds)
    expect(faster.specs).toHaveLength(4)
    await expectError(
      client.api['designs.preview']({ design: { ...design, factors: { ...design.factors, topics: ['missing-topic'] } } as never }),
      'invalid-input',
      /missing-topic/
    )
    expect(await client.api['designs.delete']({ id: 'pilot' })).toEqual({ deleted: true })
    client.close()
  })

  it('lists a discussion’s annotations and computes agreement, with a typed error when it is undefined', async () => {
    const { server, workspace } = await startTestServer()
    const client = connectClient(server)
    const text = await readFile(join(SDF_FIXTURES, 'v0.2/discussions_output/moderation_game/25-02-01-12-00.json'), 'utf8')
    await client.api['import.files']({ files: [{ name: 'discussions_output/a/25-02-01-12-00.json', text }] })
    const id = (await client.api['discussions.list']({})).items[0]?.id as string
    await expectError(client.api['agreement.compute']({ label: 'toxicity' }), 'not-computable', /cannot be computed/)
    await workspace.annotations.append(id, ratings(id, [[1, 1], [1, 1]]))
    expect((await client.api['annotations.list']({ discussionId: id })).items).toHaveLength(4)
    await expectError(client.api['annotations.list']({ discussionId: 'nope' }), 'not-found')
    await expectError(client.api['agreement.compute']({ label: 'toxicity' }), 'not-computable', /no variation/)
    await workspace.annotations.append(id, ratings(id, [[1, 1], [1, 1], [3, 3], [2, 4]]).slice(4))
    const alpha = await client.api['agreement.compute']({ label: 'toxicity', metric: 'alpha', level: 'interval' })
    expect(alpha.units).toBe(4)
    expect(alpha.annotators).toEqual(['annotator-0', 'annotator-1'])
    expect(alpha.value).toBeGreaterThan(0)
    expect(alpha.value).toBeLessThan(1)
    client.close()
  })

  it('lists the models folder, refuses runs without a model and keeps settings in sdf-settings.json', async () => {
    const { server, workspace, base } = await startTestServer({})
    const client = connectClient(server)
    expect(await client.api['models.list']({})).toEqual({ folder: join(workspace.root, 'models'), models: [] })
    expect(await client.api['runs.list']({})).toEqual({ runs: [] })
    await expectError(client.api['runs.start']({ designId: 'pilot' }), 'unavailable', /sdf serve --model FILE/)
    await expectError(client.api['runs.pause']({ runId: 'nope' }), 'not-found')

    const models = join(base, 'models')
    await mkdir(models)
    await writeFile(join(models, 'broken.gguf'), 'not a model')
    const other = await startTestServer({ modelsFolder: models })
    const otherClient = connectClient(other.server)
    const listing = await otherClient.api['models.list']({})
    expect(listing.models.map((model) => model.fileName)).toEqual(['broken.gguf'])
    expect(listing.models[0]?.error).not.toBeNull()
    otherClient.close()

    expect(await client.api['settings.get']({})).toEqual({ defaultModel: null, concurrency: 1, theme: 'system' })
    const saved = await client.api['settings.put']({ settings: { defaultModel: 'tiny.gguf', concurrency: 2, theme: 'dark' } })
    expect(saved.theme).toBe('dark')
    expect(JSON.parse(await readFile(join(workspace.root, APP_SETTINGS_FILE), 'utf8'))).toEqual(saved)
    expect(await client.api['settings.get']({})).toEqual(saved)
    await expectError(client.api['settings.put']({ settings: { theme: 'blue' } as never }), 'invalid-input')
    client.close()
  })
})
