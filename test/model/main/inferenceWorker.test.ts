import { readFile } from 'node:fs/promises'
import { basename, dirname } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AnnotatorSpecSchema, Workspace } from '../../../src/core/index.js'
import { createDesktopImplementation, type FolderPurpose } from '../../../src/main/desktopImplementation.js'
import { InferenceWorkerHost } from '../../../src/main/inference/inferenceWorkerHost.js'
import {
  appContract,
  createHandlerTable,
  RunEventLog,
  type AnnotationEventPayload,
  type RunEventPayload,
  type WorkspaceChanged
} from '../../../src/shared/index.js'
import { tempDir } from '../../helpers/tempDir.js'
import { TEST_THREADS, tinyModelPath } from '../../helpers/testModel.js'
import { testDesign, testWorkspace } from '../../unit/engine/workspaceSupport.js'
import { TOXICITY_SPEC } from '../../unit/server/resultsWorkspace.js'

// The desktop's inference worker in plain Node (no Electron binary needed): a real worker thread
// running the TypeScript entry through tsx, with the tiny random-weight model on one thread.
const bootstrap = new URL('../../helpers/tsWorker.mjs', import.meta.url)
const entry = new URL('../../../src/main/inference/inferenceWorker.ts', import.meta.url).href

function startHost() {
  const runEvents = new RunEventLog()
  const events: RunEventPayload[] = []
  const annotationEvents: AnnotationEventPayload[] = []
  const changes: WorkspaceChanged[] = []
  const tokens = new Map<string, string>()
  const ended = new Set<string>()
  const host = new InferenceWorkerHost({
    workerUrl: bootstrap,
    workerOptions: { workerData: { entry } },
    settings: { threads: TEST_THREADS, gpu: false, contextSize: 1024, sequences: 2 },
    streams: {
      append: (stream, ...pieces) => tokens.set(stream, (tokens.get(stream) ?? '') + pieces.join('')),
      end: (stream) => ended.add(stream)
    },
    runEvent: (event) => {
      events.push(event)
      runEvents.publish(event)
    },
    runEventCursor: () => ({ epoch: runEvents.epoch, next: runEvents.next }),
    changed: (event) => changes.push(event),
    annotationEvent: (event) => annotationEvents.push(event)
  })
  return { host, events, annotationEvents, changes, tokens, ended, runEvents }
}

/** The desktop host as main builds it, with the worker, called through the contract's handler table (as IPC does). */
function desktopWith(host: InferenceWorkerHost, workspace: Workspace, folders: Partial<Record<FolderPurpose, string>>) {
  const { implementation } = createDesktopImplementation({
    version: 'test',
    platform: process.platform,
    workspace,
    chooseFolder: async (purpose) => folders[purpose] ?? null,
    changed: () => undefined,
    inference: host
  })
  return createHandlerTable(appContract, implementation)
}

async function loadTiny(host: InferenceWorkerHost, workspace: Workspace) {
  const model = await tinyModelPath()
  return host.call('models.load', { fileName: basename(model) }, { workspacePath: workspace.root, modelsFolder: dirname(model) })
}

describe('the inference worker (desktop: everything that touches the model runs off the main thread)', () => {
  it('serves models, runs and annotation jobs through the desktop host: events come back to main, the model is held while used', async () => {
    const design = testDesign({ discussion: { conv_len: 4, history_ctx_len: 2, max_tokens: 12 } })
    const workspace = await testWorkspace(design)
    await workspace.annotators.put(AnnotatorSpecSchema.parse(TOXICITY_SPEC))
    const SECOND_SPEC = AnnotatorSpecSchema.parse({ ...TOXICITY_SPEC, id: 'toxicity-again' })
    await workspace.annotators.put(SECOND_SPEC)
    const model = await tinyModelPath()
    const other = await Workspace.create(await tempDir('sdf-worker-other-'))
    const { host, events, annotationEvents, changes, tokens, ended, runEvents } = startHost()
    const table = desktopWith(host, workspace, { models: dirname(model), 'open-workspace': other.root })
    try {
      await expect(table['models.status']({})).resolves.toMatchObject({ loaded: null })
      await expect(table['demo.status']({})).resolves.toMatchObject({ state: 'idle' })
      await expect(table['runs.start']({ designId: design.id, concurrency: 2 })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('No model is loaded') })
      // No models folder chosen yet: the worker knows none either.
      await expect(table['models.load']({ fileName: basename(model) })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('no models folder') })
      await table['models.chooseFolder']({})
      await expect(table['models.load']({ fileName: 'no-such-model.gguf' })).rejects.toMatchObject({ code: 'not-found' })
      const loaded = await table['models.load']({ fileName: basename(model) })
      expect(loaded.loaded).toMatchObject({ fileName: basename(model), sequences: 2, inUse: false })

      const started = await table['runs.start']({ designId: design.id, concurrency: 2 })
      expect(started.discussionIds.length).toBeGreaterThan(1)
      // The run holds the model until it ends, paused or not.
      await expect(table['models.unload']({})).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('Cannot unload') })
      await expect(table['models.status']({})).resolves.toMatchObject({ loaded: { inUse: true } })
      const status = await table['runs.status']({ runId: started.runId })
      expect(status.active).toBe(true)
      // The cursor is main's log, which already holds every event the worker sent before answering.
      expect(status.events).toEqual({ epoch: runEvents.epoch, next: runEvents.next })
      expect((await table['runs.list']({})).runs.find((run) => run.id === started.runId)?.active).toBe(true)
      await expect.poll(() => events.some((event) => event.kind === 'run-finished'), { timeout: 90_000 }).toBe(true)

      for (const id of started.discussionIds) {
        expect(await workspace.discussions.has(id)).toBe(true)
        expect(ended.has(`${started.runId}/${id}`)).toBe(true)
      }
      expect([...tokens.values()].some((text) => text.length > 0)).toBe(true)
      expect(events.filter((event) => event.kind === 'discussion-finished')).toHaveLength(started.discussionIds.length)
      expect(changes.some((change) => change.kinds.includes('discussion'))).toBe(true)
      await expect(table['runs.status']({ runId: started.runId })).resolves.toMatchObject({
        active: false,
        counts: { finished: started.discussionIds.length, pending: 0 }
      })
      await expect(table['runs.pause']({ runId: 'nope' })).rejects.toMatchObject({ code: 'not-found' })

      const { jobId } = await table['annotations.startJob']({ annotatorIds: [TOXICITY_SPEC.id], discussionIds: started.discussionIds, concurrency: 1, maxTokens: 24 })
      await expect.poll(() => annotationEvents.some((event) => event.kind === 'job-finished'), { timeout: 90_000 }).toBe(true)
      expect(annotationEvents.every((event) => event.jobId === jobId)).toBe(true)
      expect(annotationEvents[0]?.kind).toBe('job-started')
      const last = annotationEvents.at(-1)!
      expect(last.progress.total).toBeGreaterThan(0)
      expect(last.progress.done).toBe(last.progress.total)
      const annotated = (await workspace.annotations.list(started.discussionIds[0]!)).annotations.filter((a) => a.annotator.spec_id === TOXICITY_SPEC.id)
      expect(annotated.length).toBeGreaterThan(0)
      await expect(table['annotations.cancelJob']({ jobId })).rejects.toMatchObject({ code: 'not-found' })

      // Nothing uses the model any more: it can be unloaded.
      await expect(table['models.unload']({})).resolves.toMatchObject({ loaded: null })

      // A job with every comment left to do, left running through a workspace switch and the shutdown below.
      await table['models.load']({ fileName: basename(model) })
      annotationEvents.length = 0
      const second = await table['annotations.startJob']({ annotatorIds: [SECOND_SPEC.id], discussionIds: 'all', concurrency: 1, maxTokens: 64 })
      await expect(table['models.unload']({})).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('Cannot unload') })

      // Another workspace opened in main's dialog is the one the worker uses from the next call on.
      await table['workspace.open']({})
      await expect(table['runs.list']({})).resolves.toEqual({ runs: [] })
      await expect(table['runs.start']({ designId: design.id, concurrency: 1 })).rejects.toMatchObject({ code: 'not-found' })

      // Quitting cancels the job (what it stored stays) and frees the model.
      const report = await host.shutdown()
      expect(report).toEqual({ runs: [], cutShort: 0, annotationJobs: 1 })
      expect(annotationEvents.at(-1)).toMatchObject({ jobId: second.jobId, kind: 'job-finished', message: 'cancelled' })
    } finally {
      await host.shutdown()
    }
    // A stopped worker answers every later call with a clear error, not a hang.
    await expect(table['models.status']({})).rejects.toMatchObject({ code: 'unavailable' })
  }, 240_000)

  it('shuts down mid-run letting discussions checkpoint, and a new worker resumes the run to the end', async () => {
    const design = testDesign({ replicates: 2, discussion: { conv_len: 4, history_ctx_len: 2, max_tokens: 12 } })
    const workspace = await testWorkspace(design)
    const context = { workspacePath: workspace.root, modelsFolder: null }
    const first = startHost()
    await loadTiny(first.host, workspace)
    const started = await first.host.call('runs.start', { designId: design.id, concurrency: 1 }, context)
    await expect.poll(() => first.events.filter((event) => event.kind === 'step').length, { timeout: 60_000 }).toBeGreaterThanOrEqual(3)
    const report = await first.host.shutdown(30_000)
    expect(report).toMatchObject({ runs: [started.runId], cutShort: 0 })
    // Every step journaled before the worker went: the journal is whole, no torn line.
    const journal = await readFile(workspace.resolve('runs', started.runId, 'journal.jsonl'), 'utf8')
    expect(journal.endsWith('\n')).toBe(true)
    await expect(first.host.call('runs.status', { runId: started.runId }, context)).rejects.toMatchObject({ code: 'unavailable' })

    const second = startHost()
    try {
      await loadTiny(second.host, workspace)
      const stopped = await second.host.call('runs.status', { runId: started.runId }, context)
      expect(stopped.active).toBe(false)
      expect(stopped.counts.pending).toBeGreaterThan(0)
      await second.host.call('runs.resumeInterrupted', { runId: started.runId, concurrency: 1 }, context)
      await expect.poll(() => second.events.some((event) => event.kind === 'run-finished'), { timeout: 60_000 }).toBe(true)
      const done = await second.host.call('runs.status', { runId: started.runId }, context)
      expect(done.counts).toMatchObject({ total: started.discussionIds.length, finished: started.discussionIds.length, pending: 0 })
    } finally {
      await second.host.shutdown()
    }
  }, 120_000)
})
