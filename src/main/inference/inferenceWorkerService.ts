import { join } from 'node:path'
import {
  createAnalysisPorts,
  createDemoPorts,
  createModelsPorts,
  createStudioPorts,
  ModelSlot,
  withModelLeases,
  Workspace,
  WorkspaceError
} from '../../core/index.js'
import { createRunsPorts, withRunLeases } from '../../core/host/runsPorts.js'
import {
  ApiError,
  appContract,
  type AppContract,
  createAnalysisMethods,
  createDemoMethods,
  createHandlerTable,
  createModelsMethods,
  createRunsMethods,
  createStudioMethods,
  RunRegistry,
  toApiErrorShape,
  type Implementation,
  type WorkspaceChanged
} from '../../shared/index.js'
import {
  ShutdownReportSchema,
  ToWorkerSchema,
  WORKER_METHODS,
  type FromWorker,
  type WorkerContext,
  type WorkerMethod,
  type WorkerSettings
} from './workerProtocol.js'
// The same words as the in-process desktop host: the user cannot tell where the model lives.
import { NO_ANNOTATION_ON_DESKTOP, NO_MODEL_ON_DESKTOP } from '../desktopImplementation.js'

/** The worker's end of the channel (`parentPort`, or a `MessagePort` in tests). */
export interface WorkerChannel {
  postMessage(message: FromWorker): void
  on(event: 'message', listener: (message: unknown) => void): unknown
}

/** The part of the contract the worker serves. */
const workerContract = Object.fromEntries(WORKER_METHODS.map((method) => [method, appContract[method]])) as Pick<AppContract, WorkerMethod>
type WorkerContract = typeof workerContract

const STOPPING = 'The app is closing: the model has been freed. Reopen the app to go on.'

/**
 * The inference worker: owns the model slot, the runs and the annotation jobs, off the UI's thread.
 * Serves the model's part of the contract through the same shared methods and core ports as the
 * web host, so both hosts behave alike, and sends their events back to main as messages.
 */
export function serveInferenceWorker(channel: WorkerChannel, settings: WorkerSettings): void {
  const send = (message: FromWorker) => channel.postMessage(message)
  const slot = new ModelSlot({
    threads: settings.threads,
    ...(settings.gpu === undefined ? {} : { gpu: settings.gpu }),
    ...(settings.sequences === undefined ? {} : { sequences: settings.sequences }),
    ...(settings.contextSize === undefined ? {} : { contextSize: settings.contextSize })
  })
  let context: { workspace: Workspace | null; modelsFolder: string | null } = { workspace: null, modelsFolder: null }
  let stopping = false
  const workspace = () => context.workspace
  const backend = () => slot.backend()
  const streams = {
    append: (stream: string, ...tokens: string[]) => send({ type: 'tokens', stream, tokens }),
    end: (stream: string) => send({ type: 'stream-end', stream })
  }
  const changed = (event: WorkspaceChanged) => send({ type: 'changed', event })

  const runs = new RunRegistry({ streams, runEvent: (event) => send({ type: 'run-event', event }), changed })
  const studio = createStudioMethods({
    runs,
    ...withModelLeases(createStudioPorts({ workspace, backend }), slot),
    modelsFolder: () => context.modelsFolder,
    noBackendMessage: NO_MODEL_ON_DESKTOP,
    streams,
    runEvent: (event) => send({ type: 'run-event', event }),
    changed
  })

  // Annotation jobs are tracked here only so that a shutdown can cancel them and wait for them.
  const jobs = new Set<Promise<void>>()
  const cancels = new Set<() => void>()
  const analysisPorts = createAnalysisPorts({ workspace, backend, leaseModel: () => slot.lease() })
  const createAnnotationJob: typeof analysisPorts.createAnnotationJob = async (input) => {
    const job = await analysisPorts.createAnnotationJob(input)
    return {
      ...job,
      run: (report) => {
        const cancel = () => job.cancel()
        cancels.add(cancel)
        const running = job.run(report).finally(() => {
          cancels.delete(cancel)
          jobs.delete(running)
        })
        jobs.add(running)
        return running
      }
    }
  }

  const methods = {
    ...studio,
    ...createRunsMethods({ ...withRunLeases(createRunsPorts({ workspace, backend }), slot), runs, noBackendMessage: NO_MODEL_ON_DESKTOP }),
    ...createAnalysisMethods({
      ...analysisPorts,
      createAnnotationJob,
      noBackendMessage: NO_ANNOTATION_ON_DESKTOP,
      annotationEvent: (event) => send({ type: 'annotation-event', event }),
      changed,
      downloadUrl: () => null
    }),
    ...createModelsMethods(
      createModelsPorts({ slot, modelsFolder: () => context.modelsFolder, downloadEvent: (event) => send({ type: 'model-download', event }) })
    ),
    ...createDemoMethods(
      createDemoPorts({
        workspace,
        // The one-click demo needs no folder chosen: the workspace's own models folder will do.
        modelsFolder: () => context.modelsFolder ?? (context.workspace === null ? null : join(context.workspace.root, 'models')),
        slot,
        startRun: async (designId, concurrency) => await studio['runs.start']({ designId, concurrency }),
        changed: () => changed({ kinds: ['discussion', 'design', 'persona', 'topic', 'instruction', 'annotator'] })
      })
    )
  }
  const served = Object.fromEntries(WORKER_METHODS.map((method) => [method, methods[method]])) as Implementation<WorkerContract>
  // Inputs and outputs parsed here with the contract's schemas, as a host's handler table does.
  const table = createHandlerTable(workerContract, served)

  /** Takes on main's choices; the workspace is opened once per folder (runs keep the one they started in). */
  async function useContext(next: WorkerContext): Promise<void> {
    const path = next.workspacePath
    let opened = context.workspace
    if (path === null) opened = null
    else if (opened?.root !== path) {
      try {
        opened = await Workspace.open(path)
      } catch (error) {
        if (error instanceof WorkspaceError) throw new ApiError('not-found', `The inference worker cannot open the workspace: ${error.message}`)
        throw error
      }
    }
    context = { workspace: opened, modelsFolder: next.modelsFolder }
  }

  async function shutdown(graceMs: number) {
    stopping = true
    const active = runs.ids()
    for (const runId of active) runs.control('pause', runId)
    const annotationJobs = cancels.size
    for (const cancel of cancels) cancel()
    const deadline = Date.now() + graceMs
    const generating = () => active.reduce((sum, runId) => sum + (runs.status(runId)?.discussions.filter((d) => d.state === 'running').length ?? 0), 0)
    while ((generating() > 0 || jobs.size > 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
    const cutShort = generating()
    await slot.close()
    return ShutdownReportSchema.parse({ runs: active, cutShort, annotationJobs })
  }

  channel.on('message', (raw) => {
    const parsed = ToWorkerSchema.safeParse(raw)
    if (!parsed.success) {
      // Nothing to answer to: a message main did not make. Ignored rather than crashing the worker.
      return
    }
    const message = parsed.data
    const work = async (): Promise<unknown> => {
      if (stopping) throw new ApiError('unavailable', STOPPING)
      switch (message.type) {
        case 'call':
          await useContext(message.context)
          return table[message.method](message.input)
        case 'shutdown':
          return shutdown(message.graceMs)
      }
    }
    work().then(
      (value) => send({ type: 'result', id: message.id, value }),
      (error: unknown) => send({ type: 'failure', id: message.id, error: toApiErrorShape(error) })
    )
  })
}
