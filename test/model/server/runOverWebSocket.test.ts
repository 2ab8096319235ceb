import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLlamaCppBackend, type LlamaCppBackend } from '../../../src/core/index.js'
import { StreamReader, type RunEventPayload } from '../../../src/shared/index.js'
import { loadTestLlama, TEST_THREADS, tinyModelPath } from '../../helpers/testModel.js'
import { INSTRUCTIONS, PERSONAS, testDesign, TOPICS } from '../../unit/engine/library.js'
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

describe('runs over the WebSocket on sdf serve --model (tiny model)', () => {
  it('starts a run, streams its events and tokens, and ends with a finished discussion in the workspace', async () => {
    const { server, workspace } = await startTestServer({ backend })
    for (const persona of PERSONAS) await workspace.personas.put(persona)
    for (const topic of TOPICS) await workspace.topics.put(topic)
    for (const instruction of INSTRUCTIONS) await workspace.instructions.put(instruction)
    const client = connectClient(server)
    const design = testDesign({
      factors: { ...testDesign().factors, topics: [TOPICS[0]!.id], moderator_instructions: [null] },
      discussion: { conv_len: 2, history_ctx_len: 2, max_tokens: 8 }
    })
    await client.api['designs.put']({ record: design as never })

    const events: RunEventPayload[] = []
    const reader = new StreamReader()
    let batches = 0
    let live = 0
    const finished = new Promise<void>((resolve) => {
      client.subscribe('run.events', {
        onEvent: (event) => {
          events.push(event)
          if (event.kind === 'run-finished') resolve()
        },
        onLive: () => (live += 1)
      })
    })
    client.subscribe('stream.tokens', {
      cursor: () => reader.cursor(),
      onEvent: (payload) => {
        batches += 1
        reader.apply(payload.batches)
      },
      onLive: () => (live += 1)
    })
    await expect.poll(() => live).toBe(2)

    const started = await client.api['runs.start']({ designId: design.id, concurrency: 1 })
    expect(started.discussionIds).toHaveLength(1)
    await finished
    const discussionId = started.discussionIds[0]!

    const kinds = events.map((event) => event.kind)
    expect(kinds[0]).toBe('discussion-started')
    expect(kinds).toContain('step')
    expect(kinds).toContain('comment')
    expect(kinds.slice(-2)).toEqual(['discussion-finished', 'run-finished'])
    expect(events.at(-1)?.progress).toEqual({ total: 1, finished: 1, failed: 0, cancelled: 0, pending: 0 })
    await expect.poll(() => reader.get(`${started.runId}/${discussionId}`)?.done).toBe(true)
    expect(batches).toBeGreaterThan(0)
    expect(reader.get(`${started.runId}/${discussionId}`)?.text.length).toBeGreaterThan(0)

    expect(await workspace.discussions.has(discussionId)).toBe(true)
    const runs = await client.api['runs.list']({})
    expect(runs.runs.map((run) => [run.id, run.counts.finished, run.counts.pending])).toEqual([[started.runId, 1, 0]])
    expect(runs.runs[0]?.manifest).not.toBeNull()
    client.close()
  }, 120_000)
})
