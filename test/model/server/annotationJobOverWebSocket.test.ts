import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AnnotationSchema, annotationValuesSchema, AnnotatorSpecSchema, createLlamaCppBackend, type LlamaCppBackend } from '../../../src/core/index.js'
import { AnnotationEventPayloadSchema, type AnnotationEventPayload } from '../../../src/shared/index.js'
import { loadTestLlama, TEST_THREADS, tinyModelPath } from '../../helpers/testModel.js'
import { fillResultsWorkspace, PLANS, TOXICITY_SPEC } from '../../unit/server/resultsWorkspace.js'
import { connectClient, startTestServer } from '../../unit/server/serverHarness.js'

// Random weights: assert on structure and counts, never on content.
let backend: LlamaCppBackend

beforeAll(async () => {
  backend = await createLlamaCppBackend({
    modelPath: await tinyModelPath(),
    llama: await loadTestLlama(),
    threads: TEST_THREADS,
    contextSize: 1024,
    sequences: 1
  })
})

afterAll(async () => {
  await backend?.dispose()
})

describe('annotation jobs over the WebSocket on sdf serve --model (tiny model)', () => {
  it('annotates the chosen discussions with schema-valid labels, reporting each one as an event', async () => {
    const { server, workspace } = await startTestServer({ backend })
    await fillResultsWorkspace(workspace)
    const client = connectClient(server)
    const events: AnnotationEventPayload[] = []
    let live = false
    const finished = new Promise<void>((resolve) => {
      client.subscribe('annotation.events', {
        onEvent: (event) => {
          events.push(event)
          if (event.kind === 'job-finished') resolve()
        },
        onLive: () => (live = true)
      })
    })
    await expect.poll(() => live).toBe(true)

    const { jobId } = await client.api['annotations.startJob']({
      annotatorIds: ['toxicity'],
      discussionIds: ['d-rules-1', 'd-none-2'],
      concurrency: 1,
      maxTokens: 48
    })
    await finished

    for (const event of events) expect(AnnotationEventPayloadSchema.parse(event).jobId).toBe(jobId)
    const kinds = events.map((event) => event.kind)
    expect(kinds[0]).toBe('job-started')
    expect(kinds.at(-1)).toBe('job-finished')
    // 5 comments each, the moderator's left out by the spec: 4 per discussion
    expect(events[0]!.progress).toEqual({ total: 8, done: 0, failed: 0 })
    const annotated = events.filter((event) => event.kind === 'annotation')
    expect(annotated).toHaveLength(8)
    expect(annotated.map((event) => event.progress.done)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(events.at(-1)).toMatchObject({ message: null, progress: { total: 8, done: 8 } })

    const spec = AnnotatorSpecSchema.parse(TOXICITY_SPEC)
    const values = annotationValuesSchema(spec.labels)
    for (const event of annotated) {
      const annotation = AnnotationSchema.parse(event.annotation)
      expect(annotation).toMatchObject({ discussion_id: event.discussionId, comment_index: event.commentIndex })
      expect(annotation.annotator).toMatchObject({ kind: 'llm', spec_id: 'toxicity' })
      // Constrained decoding: every answer that parsed validates against the labels; one that did not is counted as failed.
      if (annotation.parsed) expect(values.safeParse(annotation.values).success).toBe(true)
    }
    expect(events.at(-1)!.progress.failed).toBe(annotated.filter((event) => event.annotation?.['parsed'] === false).length)

    const stored = (await workspace.annotations.list('d-rules-1')).annotations.filter((a) => a.annotator.spec_id === 'toxicity' && a.annotator.kind === 'llm' && a.annotator.model !== null)
    expect(stored.map((a) => a.comment_index)).toEqual([0, 1, 2, 4])

    // A second job over the same discussions finds nothing left to do.
    events.length = 0
    const again = new Promise<void>((resolve) => {
      const stop = client.subscribe('annotation.events', {
        onEvent: (event) => {
          if (event.kind === 'job-finished') {
            stop()
            resolve()
          }
        }
      })
    })
    await client.api['annotations.startJob']({ annotatorIds: ['toxicity'], discussionIds: ['d-rules-1', 'd-none-2'] })
    await again
    expect(events.map((event) => [event.kind, event.progress.total])).toEqual([
      ['job-started', 0],
      ['job-finished', 0]
    ])
    client.close()
  }, 120_000)

  it('stops a job when cancelled, keeping what was annotated', async () => {
    const { server, workspace } = await startTestServer({ backend })
    await fillResultsWorkspace(workspace)
    const client = connectClient(server)
    const events: AnnotationEventPayload[] = []
    let live = false
    const finished = new Promise<void>((resolve) => {
      client.subscribe('annotation.events', {
        onEvent: (event) => {
          events.push(event)
          if (event.kind === 'job-finished') resolve()
        },
        onLive: () => (live = true)
      })
    })
    await expect.poll(() => live).toBe(true)
    const { jobId } = await client.api['annotations.startJob']({ annotatorIds: ['toxicity'], discussionIds: 'all', maxTokens: 48 })
    // The job holds the model: it cannot be unloaded under it.
    await expect(client.api['models.unload']({})).rejects.toMatchObject({ message: expect.stringContaining('Cannot unload') })
    expect(await client.api['annotations.cancelJob']({ jobId })).toEqual({ ok: true })
    await finished
    const last = events.at(-1)!
    expect(last).toMatchObject({ kind: 'job-finished', message: 'cancelled' })
    expect(last.progress.done).toBeLessThan(last.progress.total)
    const stored = (await Promise.all(PLANS.map((plan) => workspace.annotations.list(plan.id)))).flatMap((listing) => listing.annotations)
    expect(stored.filter((a) => a.annotator.model !== null)).toHaveLength(last.progress.done)
    await expect(client.api['annotations.cancelJob']({ jobId })).rejects.toMatchObject({ code: 'not-found' })
    client.close()
  }, 120_000)

  it('refuses unknown annotators and discussions before starting', async () => {
    const { server, workspace } = await startTestServer({ backend })
    await fillResultsWorkspace(workspace)
    const client = connectClient(server)
    const fail = (input: Parameters<typeof client.api['annotations.startJob']>[0]) =>
      client.api['annotations.startJob'](input).then(
        () => null,
        (error: unknown) => error as { code: string; message: string }
      )
    expect(await fail({ annotatorIds: ['nope'], discussionIds: 'all' })).toMatchObject({ code: 'not-found', message: expect.stringContaining('"nope"') })
    expect(await fail({ annotatorIds: ['toxicity'], discussionIds: ['d-rules-1', 'gone'] })).toMatchObject({
      code: 'not-found',
      message: expect.stringContaining('"gone"')
    })
    expect(await fail({ annotatorIds: [], discussionIds: 'all' })).toMatchObject({ code: 'invalid-input' })
    client.close()
  })
})
