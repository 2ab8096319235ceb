import { describe, expect, it } from 'vitest'
import { DEMO_MODEL_FILE_NAME, ModelSlot, type InferenceBackend, type ModelLoadRequest } from '../../../src/core/index.js'
import type { RunEventPayload } from '../../../src/shared/index.js'
import { ScriptedBackend } from '../engine/scriptedBackend.js'
import { connectClient, startTestServer, until } from './serverHarness.js'

/** Comments as text, annotations as the JSON the annotator's schema asks for. */
function scriptedModel(request: ModelLoadRequest, delayMs = 0): InferenceBackend {
  const backend = new ScriptedBackend((call, index) => (call.request.jsonSchema ? `{"toxicity": ${(index % 5) + 1}}` : `comment ${index}`), { delayMs })
  return Object.assign(backend, { info: { modelPath: request.path, gpu: false, gpuLayers: 0, contextSize: 1024, sequences: 4 } })
}

describe('the one-click demo over the WebSocket', () => {
  it('makes and loads the demo model, runs the demo design live, then annotates it and answers chart rows', async () => {
    const loads: ModelLoadRequest[] = []
    const slot = new ModelSlot({ threads: 1, load: async (request) => (loads.push(request), scriptedModel(request)) })
    const { server, workspace } = await startTestServer({ modelSlot: slot })
    const client = connectClient(server)
    expect((await client.api['demo.status']({})).state).toBe('idle')
    const events: RunEventPayload[] = []
    let live = false
    client.subscribe('run.events', { onEvent: (event) => events.push(event), onLive: () => (live = true) })
    await until(() => live)

    const started = await client.api['demo.start']({})
    expect(started).toMatchObject({ designId: 'demo-meaningless-text', modelFileName: DEMO_MODEL_FILE_NAME, replacedModel: null })
    expect(started.discussionIds).toHaveLength(4)
    expect(started.notice).toMatch(/meaningless text/)
    expect(loads.map((load) => load.path)).toEqual([`${workspace.root}/models/${DEMO_MODEL_FILE_NAME}`])

    await until(() => events.some((event) => event.kind === 'run-finished' && event.runId === started.runId), 20_000)
    let status = await client.api['demo.status']({})
    for (let tries = 0; tries < 200 && status.state !== 'done' && status.state !== 'failed'; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      status = await client.api['demo.status']({})
    }
    expect(status.state, status.message).toBe('done')
    expect(status.runId).toBe(started.runId)
    expect(status.analysis?.files).toEqual(['exports/demo/analysis.json', 'exports/demo/toxicity-by-turn.csv'])
    expect(status.analysis?.annotatedComments).toBeGreaterThan(0)
    expect(new Set(status.analysis?.byTurn.map((row) => row.group))).toEqual(new Set(['none', 'example-moderator-rules']))
    expect(await workspace.designs.has('demo-meaningless-text')).toBe(true)
    expect((await workspace.discussions.ids()).sort()).toEqual([...started.discussionIds].sort())
    // The demo model stays loaded for the user to try more.
    expect((await client.api['models.status']({})).loaded).toMatchObject({ isDemo: true, inUse: false })
    client.close()
  }, 60_000)

  it('refuses to replace a model that a run is using, replaces an idle one, and refuses a second demo while one runs', async () => {
    const other = scriptedModel({ path: '/models/other.gguf' })
    const slot = new ModelSlot({ threads: 1, initial: other, load: async (request) => scriptedModel(request, 30) })
    const { server } = await startTestServer({ modelSlot: slot })
    const client = connectClient(server)
    const busy = slot.lease()
    const refused = await client.api['demo.start']({}).catch((error: unknown) => error as { code: string; message: string })
    expect(refused).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/other.gguf is loaded and in use by a run/) })
    busy?.release()

    const started = await client.api['demo.start']({ concurrency: 1 })
    expect(started.replacedModel).toBe('other.gguf')
    const again = await client.api['demo.start']({}).catch((error: unknown) => error as { code: string; message: string })
    expect(again).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/already under way/) })
    await client.api['runs.cancel']({ runId: started.runId })
    let state = ''
    for (let tries = 0; tries < 200 && state !== 'done' && state !== 'failed'; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      state = (await client.api['demo.status']({})).state
    }
    expect(state).toBe('done')
    expect(slot.inUse()).toBe(false)
    client.close()
  })
})

