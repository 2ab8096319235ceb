import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  createModelsPorts,
  DEMO_MODEL_FILE_NAME,
  ModelSlot,
  type InferenceBackend,
  type ModelLoadRequest,
  type Workspace
} from '../../../src/core/index.js'
import { createModelsMethods, type ModelDownloadEvent } from '../../../src/shared/index.js'
import { tempDir } from '../../helpers/tempDir.js'
import { ScriptedBackend } from '../engine/scriptedBackend.js'
import { INSTRUCTIONS, PERSONAS, testDesign, TOPICS } from '../engine/library.js'
import { connectClient, startTestServer, until } from './serverHarness.js'

/** A backend that looks loaded from `path` (as llama.cpp's reports itself), answering from a script. */
function fakeLoaded(request: ModelLoadRequest, options: ConstructorParameters<typeof ScriptedBackend>[1] = {}): InferenceBackend {
  const backend = new ScriptedBackend(() => 'a reply', options)
  const disposed = { value: false }
  return Object.assign(backend, {
    info: { modelPath: request.path, gpu: false, gpuLayers: 0, contextSize: request.contextSize ?? 4096, sequences: 4 },
    disposed,
    dispose: async () => {
      disposed.value = true
    }
  })
}

/** A slot that "loads" without llama.cpp; `delayMs` slows every generation so a run stays active. */
function fakeSlot(delayMs = 0) {
  const loads: ModelLoadRequest[] = []
  const slot = new ModelSlot({
    threads: 1,
    load: async (request) => {
      loads.push(request)
      return fakeLoaded(request, { delayMs })
    }
  })
  return { slot, loads }
}

async function expectError(call: Promise<unknown>, code: string, message?: RegExp) {
  const error = await call.then(
    () => null,
    (failure: unknown) => failure as { code: string; message: string }
  )
  expect(error?.code).toBe(code)
  if (message) expect(error?.message).toMatch(message)
}

async function withLibrary(workspace: Workspace): Promise<void> {
  for (const persona of PERSONAS) await workspace.personas.put(persona)
  for (const topic of TOPICS) await workspace.topics.put(topic)
  for (const instruction of INSTRUCTIONS) await workspace.instructions.put(instruction)
}

describe('models over the WebSocket', () => {
  it('reports no model, makes the demo model once, loads it by file name and unloads it', async () => {
    const { slot, loads } = fakeSlot()
    const { server, workspace } = await startTestServer({ modelSlot: slot })
    const client = connectClient(server)
    expect(await client.api['models.status']({})).toEqual({ loaded: null, downloads: [] })

    const made = await client.api['models.makeDemo']({})
    expect(made).toMatchObject({ fileName: DEMO_MODEL_FILE_NAME, created: true })
    expect(made.notice).toMatch(/meaningless text/)
    expect(made.fileName).toMatch(/MEANINGLESS/)
    expect((await client.api['models.makeDemo']({})).created).toBe(false)
    const listed = await client.api['models.list']({})
    expect(listed.models.map((model) => model.fileName)).toEqual([DEMO_MODEL_FILE_NAME])
    expect(listed.models[0]?.error).toBeNull()

    const status = await client.api['models.load']({ fileName: DEMO_MODEL_FILE_NAME, gpuLayers: 0, contextSize: 1024 })
    expect(status.loaded).toMatchObject({ fileName: DEMO_MODEL_FILE_NAME, isDemo: true, inUse: false, contextSize: 1024, backend: 'llama.cpp' })
    expect(loads).toEqual([{ path: join(workspace.root, 'models', DEMO_MODEL_FILE_NAME), gpuLayers: 0, contextSize: 1024 }])

    expect((await client.api['models.unload']({})).loaded).toBeNull()
    expect((await client.api['models.status']({})).loaded).toBeNull()
    client.close()
  })

  it('refuses file names that are paths, files that are missing and files that are not GGUF models', async () => {
    const { slot } = fakeSlot()
    const { server, workspace, base } = await startTestServer({ modelSlot: slot })
    const client = connectClient(server)
    await writeFile(join(base, 'outside.gguf'), 'GGUF')
    await mkdir(join(workspace.root, 'models', 'sub'), { recursive: true })
    await writeFile(join(workspace.root, 'models', 'notes.txt'), 'hello')
    await writeFile(join(workspace.root, 'models', 'broken.gguf'), 'not a model at all')

    await expectError(client.api['models.load']({ fileName: '../../outside.gguf' }), 'invalid-input', /not a path/)
    await expectError(client.api['models.load']({ fileName: 'sub/model.gguf' }), 'invalid-input', /not a path/)
    await expectError(client.api['models.load']({ fileName: '..' }), 'invalid-input')
    await expectError(client.api['models.load']({ fileName: 'missing.gguf' }), 'not-found', /no model "missing.gguf" in the models folder/)
    await expectError(client.api['models.load']({ fileName: 'notes.txt' }), 'invalid-input', /not a GGUF model/)
    await expectError(client.api['models.load']({ fileName: 'broken.gguf' }), 'invalid-input', /broken.gguf cannot be loaded/)
    await expectError(client.api['models.load']({ fileName: DEMO_MODEL_FILE_NAME, contextSize: 5 }), 'invalid-input')
    expect((await client.api['models.status']({})).loaded).toBeNull()
    client.close()
  })

  it('refuses to load or unload while a run uses the model, and allows it once the run ended', async () => {
    const { slot } = fakeSlot(20)
    const { server, workspace } = await startTestServer({ modelSlot: slot })
    await withLibrary(workspace)
    const client = connectClient(server)
    await client.api['models.makeDemo']({})
    await client.api['models.load']({ fileName: DEMO_MODEL_FILE_NAME })
    const design = testDesign({ discussion: { conv_len: 2, history_ctx_len: 2, max_tokens: 8 } })
    await client.api['designs.put']({ record: design as never })

    const ended: string[] = []
    let live = false
    client.subscribe('run.events', {
      onEvent: (event) => {
        if (event.kind === 'run-finished') ended.push(event.runId)
      },
      onLive: () => (live = true)
    })
    await until(() => live)
    const { runId } = await client.api['runs.start']({ designId: design.id })
    await client.api['runs.pause']({ runId })
    expect((await client.api['models.status']({})).loaded?.inUse).toBe(true)
    await expectError(client.api['models.unload']({}), 'unavailable', /a run is using it.*cancel it/)
    await expectError(client.api['models.load']({ fileName: DEMO_MODEL_FILE_NAME }), 'unavailable', /Cannot load another model now/)
    await client.api['runs.cancel']({ runId })
    await until(() => ended.includes(runId))
    await until(() => !slot.inUse())
    expect((await client.api['models.unload']({})).loaded).toBeNull()
    client.close()
  })

  it('keeps a model given at start (sdf serve --model) but never disposes it', async () => {
    const backend = fakeLoaded({ path: '/models/given.gguf' })
    const { server } = await startTestServer({ backend })
    const client = connectClient(server)
    expect((await client.api['models.status']({})).loaded).toMatchObject({ fileName: 'given.gguf', isDemo: false })
    await client.api['models.unload']({})
    expect((backend as unknown as { disposed: { value: boolean } }).disposed.value).toBe(false)
    client.close()
  })

  it('refuses download sources that are not https links or hf: URIs, and streams a download\'s end as events', async () => {
    const { slot } = fakeSlot()
    const { server } = await startTestServer({
      modelSlot: slot,
      // No network in tests: a server that refuses the connection after some progress.
      downloadModel: async (source, _folder, options) => {
        await new Promise((resolve) => setTimeout(resolve, 20))
        options.onProgress?.({ downloadedBytes: 5, totalBytes: 100 })
        throw new Error(`the download of ${source} failed: connect ECONNREFUSED 127.0.0.1:1`)
      }
    })
    const client = connectClient(server)
    await expectError(client.api['models.download']({ source: 'not a url' }), 'invalid-input', /neither a URL nor an hf: URI/)
    await expectError(client.api['models.download']({ source: 'http://example.com/model.gguf' }), 'invalid-input', /only https/)
    await expectError(client.api['models.download']({ source: 'ftp://example.com/model.gguf' }), 'invalid-input', /uses ftp/)
    await expectError(client.api['models.download']({ source: 'https://user:pw@example.com/m.gguf' }), 'invalid-input', /password/)
    await expectError(client.api['models.download']({ source: 'hf:only-a-user' }), 'invalid-input', /Hugging Face URI/)
    await expectError(client.api['models.download']({ source: '' }), 'invalid-input')

    const events: ModelDownloadEvent[] = []
    let live = false
    client.subscribe('model.download', { onEvent: (event) => events.push(event), onLive: () => (live = true) })
    await until(() => live)
    const started = await client.api['models.download']({ source: 'https://127.0.0.1:1/models/tiny.gguf' })
    expect(started.fileName).toBe('tiny.gguf')
    await until(() => events.some((event) => event.state === 'failed'))
    expect(events[0]).toMatchObject({ downloadId: started.downloadId, state: 'running', receivedBytes: 0, fileName: 'tiny.gguf' })
    expect(events.at(-1)).toMatchObject({
      downloadId: started.downloadId,
      state: 'failed',
      receivedBytes: 5,
      totalBytes: 100,
      error: expect.stringMatching(/ECONNREFUSED/)
    })
    expect((await client.api['models.status']({})).downloads).toEqual([events.at(-1)])
    client.close()
  })
})

describe('models methods over core (no host)', () => {
  it('download into the models folder with throttled progress, and name the downloaded file when done', async () => {
    const folder = await tempDir('sdf-models-')
    const events: ModelDownloadEvent[] = []
    const methods = createModelsMethods(
      createModelsPorts({
        slot: new ModelSlot({ threads: 1 }),
        modelsFolder: () => folder,
        downloadEvent: (event) => events.push(event),
        progressIntervalMs: 0,
        download: async (source, target, options) => {
          options.onProgress?.({ downloadedBytes: 10, totalBytes: 20 })
          options.onProgress?.({ downloadedBytes: 20, totalBytes: 20 })
          return { path: join(target, 'Model-Q4_K_M.gguf'), sizeBytes: 20, sha256: 'x' }
        }
      })
    )
    const started = await methods['models.download']({ source: 'hf:someone/some-model:Q4_K_M' })
    expect(started.fileName).toBeNull()
    await until(() => events.some((event) => event.state === 'done'))
    expect(events.map((event) => [event.state, event.receivedBytes, event.totalBytes])).toEqual([
      ['running', 0, null],
      ['running', 10, 20],
      ['running', 20, 20],
      ['done', 20, 20]
    ])
    expect(events.at(-1)?.fileName).toBe('Model-Q4_K_M.gguf')
  })

  it('give up a download that makes no progress, instead of waiting forever', async () => {
    const folder = await tempDir('sdf-models-')
    const events: ModelDownloadEvent[] = []
    const methods = createModelsMethods(
      createModelsPorts({
        slot: new ModelSlot({ threads: 1 }),
        modelsFolder: () => folder,
        downloadEvent: (event) => events.push(event),
        stallTimeoutMs: 50,
        download: () => new Promise(() => undefined)
      })
    )
    await methods['models.download']({ source: 'https://example.com/stuck.gguf' })
    await until(() => events.some((event) => event.state === 'failed'))
    expect(events.at(-1)?.error).toMatch(/no data from https:\/\/example.com\/stuck.gguf for 0 s; check the link/)
  })

  it('say that a host without a models folder must choose one first', async () => {
    const methods = createModelsMethods(createModelsPorts({ slot: new ModelSlot({ threads: 1 }), modelsFolder: () => null }))
    await expectError(Promise.resolve().then(() => methods['models.makeDemo']({})), 'unavailable', /Choose one first/)
    await expectError(
      Promise.resolve().then(() => methods['models.download']({ source: 'https://example.com/a.gguf' })),
      'unavailable',
      /no models folder/
    )
  })

  it('unload the old model before loading a new one (memory), and say so when the new one fails to load', async () => {
    const folder = await tempDir('sdf-models-')
    let fail = false
    const loaded: ReturnType<typeof fakeLoaded>[] = []
    const slot = new ModelSlot({
      threads: 1,
      load: async (request) => {
        if (fail) throw new Error('out of memory')
        loaded.push(fakeLoaded(request))
        return loaded.at(-1)!
      }
    })
    const methods = createModelsMethods(createModelsPorts({ slot, modelsFolder: () => folder }))
    await methods['models.makeDemo']({})
    await methods['models.load']({ fileName: DEMO_MODEL_FILE_NAME })
    await methods['models.load']({ fileName: DEMO_MODEL_FILE_NAME })
    expect(loaded.map((backend) => (backend as unknown as { disposed: { value: boolean } }).disposed.value)).toEqual([true, false])
    fail = true
    await expectError(
      Promise.resolve().then(() => methods['models.load']({ fileName: DEMO_MODEL_FILE_NAME })),
      'invalid-input',
      /could not be loaded: out of memory \(demo-random-weights-MEANINGLESS-TEXT.gguf was unloaded first/
    )
    expect((await methods['models.status']({})).loaded).toBeNull()
  })
})
