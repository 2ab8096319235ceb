import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLlamaCppBackend, type LlamaCppBackend, type Workspace } from '../../../src/core/index.js'
import { RunEventReader, type SequencedRunEvent } from '../../../src/shared/index.js'
import { loadTestLlama, TEST_THREADS, tinyModelPath } from '../../helpers/testModel.js'
import { INSTRUCTIONS, PERSONAS, testDesign, TOPICS } from '../../unit/engine/library.js'
import { connectClient, startTestServer } from '../../unit/server/serverHarness.js'

// Random weights: assert on structure and counts, never on content.
let backend: LlamaCppBackend

beforeAll(async () => {
  backend = await createLlamaCppBackend({ modelPath: await tinyModelPath(), llama: await loadTestLlama(), threads: TEST_THREADS, contextSize: 1024, sequences: 2 })
})

afterAll(async () => {
  await backend?.dispose()
})

async function serverWithDesign(convLen = 3) {
  const { server, workspace } = await startTestServer({ backend })
  for (const persona of PERSONAS) await workspace.personas.put(persona)
  for (const topic of TOPICS) await workspace.topics.put(topic)
  for (const instruction of INSTRUCTIONS) await workspace.instructions.put(instruction)
  const client = connectClient(server)
  const design = testDesign({
    factors: { ...testDesign().factors, topics: [TOPICS[0]!.id], moderator_instructions: [null] },
    discussion: { conv_len: convLen, history_ctx_len: 2, max_tokens: 8 },
    replicates: 2
  })
  await client.api['designs.put']({ record: design as never })
  return { server, workspace, client, design }
}

function userComments(workspace: Workspace, id: string) {
  return workspace.discussions.get(id).then((discussion) => discussion?.comments.filter((comment) => comment.role !== 'seed') ?? [])
}

describe('run control over the WebSocket (tiny model)', () => {
  it('a run.events subscriber whose link drops mid-run gets every event once, in order, by sequence number', async () => {
    const { server, client, design, workspace } = await serverWithDesign(4)
    const reader = new RunEventReader()
    const accepted: SequencedRunEvent[] = []
    let received = 0
    let live = 0
    let drops = 0
    const finished = new Promise<void>((resolve) => {
      client.subscribe('run.events', {
        cursor: () => reader.cursor(),
        onEvent: (event) => {
          received += 1
          if (!reader.accept(event)) return
          accepted.push(event)
          if (event.kind === 'run-finished') resolve()
          // Drop the link right after some steps: what the host publishes meanwhile must be replayed.
          if (event.kind === 'step' && accepted.filter((e) => e.kind === 'step').length % 3 === 1) {
            drops += server.dropConnections()
          }
        },
        onLive: () => (live += 1)
      })
    })
    await expect.poll(() => live).toBe(1)
    const started = await client.api['runs.start']({ designId: design.id, concurrency: 2 })
    await finished

    expect(drops).toBeGreaterThanOrEqual(2)
    expect(live).toBeGreaterThan(drops)
    expect(reader.missing).toBe(0)
    const seqs = accepted.map((event) => event.seq)
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i))
    expect(new Set(accepted.map((event) => event.epoch)).size).toBe(1)
    // Every comment of the saved discussions came exactly once.
    let comments = 0
    for (const id of started.discussionIds) comments += (await userComments(workspace, id)).length
    expect(accepted.filter((event) => event.kind === 'comment')).toHaveLength(comments)
    expect(accepted.filter((event) => event.kind === 'discussion-finished')).toHaveLength(started.discussionIds.length)
    expect(accepted.at(-1)?.kind).toBe('run-finished')
    // The replay itself did resend something that had come live, and the reader dropped it.
    expect(received).toBeGreaterThanOrEqual(accepted.length)
    client.close()
  }, 120_000)

  it('runs.status answers the grid of a run mid-way and from its journal after it ended; a cursor from it replays what followed', async () => {
    const { client, design } = await serverWithDesign(3)
    const started = await client.api['runs.start']({ designId: design.id, concurrency: 1 })
    let midway = await client.api['runs.status']({ runId: started.runId })
    for (let i = 0; i < 200 && midway.active && !midway.discussions.some((d) => d.state === 'running' && d.steps > 0); i++) {
      await new Promise((resolve) => setTimeout(resolve, 25))
      midway = await client.api['runs.status']({ runId: started.runId })
    }
    expect(midway.active).toBe(true)
    expect(midway.discussions.map((d) => d.id)).toEqual(started.discussionIds)
    expect(midway.discussions.filter((d) => d.state === 'running')).toHaveLength(1)
    expect(midway.events).not.toBeNull()

    // Subscribing from the status' cursor: exactly the events after that answer, ending with the run's end.
    const reader = new RunEventReader()
    reader.startAt(midway.events!)
    const after: SequencedRunEvent[] = []
    await new Promise<void>((resolve) => {
      client.subscribe('run.events', {
        cursor: () => reader.cursor(),
        onEvent: (event) => {
          if (!reader.accept(event)) return
          after.push(event)
          if (event.kind === 'run-finished' && event.runId === started.runId) resolve()
        }
      })
    })
    expect(after[0]?.seq).toBe(midway.events!.next)
    expect(reader.missing).toBe(0)

    const ended = await client.api['runs.status']({ runId: started.runId })
    expect(ended).toMatchObject({ active: false, counts: { total: 2, finished: 2, pending: 0 }, events: null })
    expect(ended.discussions.every((d) => d.state === 'finished' && d.steps > 0 && d.comments > 0)).toBe(true)
    await expect(client.api['runs.status']({ runId: 'no-such-run' })).rejects.toMatchObject({ code: 'not-found' })
    client.close()
  }, 120_000)

  it('runs.fork continues a finished discussion from comment k with new settings, keeping comments before k', async () => {
    const { client, design, workspace } = await serverWithDesign(3)
    const done = (runId: string) =>
      new Promise<void>((resolve) => {
        const stop = client.subscribe('run.events', {
          cursor: () => undefined,
          onEvent: (event) => {
            if (event.kind === 'run-finished' && event.runId === runId) {
              stop()
              resolve()
            }
          }
        })
      })
    const started = await client.api['runs.start']({ designId: design.id, concurrency: 1 })
    await expect.poll(async () => (await client.api['runs.status']({ runId: started.runId })).active, { timeout: 60_000 }).toBe(false)
    const original = (await workspace.discussions.get(started.discussionIds[0]!))!
    const k = 2
    const fork = await client.api['runs.fork']({ discussionId: original.id, atComment: k, overrides: { seed: 99 } })
    expect(fork.discussionIds).toEqual([`${original.id}-fork-${k}`])
    await Promise.race([done(fork.runId), expect.poll(async () => (await client.api['runs.status']({ runId: fork.runId })).active, { timeout: 60_000 }).toBe(false)])
    await expect.poll(async () => (await client.api['runs.status']({ runId: fork.runId })).counts.finished, { timeout: 60_000 }).toBe(1)
    const forked = (await workspace.discussions.get(fork.discussionIds[0]!))!
    expect(forked.comments.slice(0, k).map((c) => [c.author, c.text])).toEqual(original.comments.slice(0, k).map((c) => [c.author, c.text]))
    expect(forked.comments.length).toBeGreaterThan(k)

    await expect(client.api['runs.fork']({ discussionId: original.id, atComment: 999, overrides: {} })).rejects.toMatchObject({ code: 'invalid-input' })
    await expect(client.api['runs.fork']({ discussionId: original.id, atComment: 1, overrides: { turn_policy: 'nonsense' } })).rejects.toMatchObject({
      code: 'invalid-input'
    })
    await expect(client.api['runs.fork']({ discussionId: 'missing', atComment: 1, overrides: {} })).rejects.toMatchObject({ code: 'not-found' })
    client.close()
  }, 120_000)

  it('runs.resumeInterrupted continues a run from its journal, skipping what finished', async () => {
    const { client, design, workspace } = await serverWithDesign(3)
    const started = await client.api['runs.start']({ designId: design.id, concurrency: 1 })
    // Cancel once the first discussion is done: the second ends cancelled (a session that stopped).
    await expect.poll(async () => (await client.api['runs.status']({ runId: started.runId })).counts.finished, { timeout: 60_000 }).toBeGreaterThanOrEqual(1)
    await client.api['runs.cancel']({ runId: started.runId }).catch(() => undefined)
    await expect.poll(async () => (await client.api['runs.status']({ runId: started.runId })).active, { timeout: 60_000 }).toBe(false)
    const stopped = await client.api['runs.status']({ runId: started.runId })
    const unfinished = stopped.discussions.filter((d) => d.state !== 'finished').map((d) => d.id)

    const resumed = await client.api['runs.resumeInterrupted']({ runId: started.runId, includeCancelled: true })
    expect(resumed.runId).toBe(started.runId)
    await expect.poll(async () => (await client.api['runs.status']({ runId: started.runId })).active, { timeout: 60_000 }).toBe(false)
    const after = await client.api['runs.status']({ runId: started.runId })
    expect(after.counts).toMatchObject({ total: 2, finished: 2, pending: 0 })
    for (const id of unfinished) expect(await workspace.discussions.has(id)).toBe(true)
    await expect(client.api['runs.resumeInterrupted']({ runId: 'no-such-run' })).rejects.toMatchObject({ code: 'not-found' })
    client.close()
  }, 120_000)
})
