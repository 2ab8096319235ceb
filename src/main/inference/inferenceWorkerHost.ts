import { Worker, type WorkerOptions } from 'node:worker_threads'
import type { z } from 'zod'
import {
  ApiError,
  appContract,
  type AnnotationEventPayload,
  type AppContract,
  type Implementation,
  type ModelDownloadEvent,
  type RunEventPayload,
  type WorkspaceChanged
} from '../../shared/index.js'
import {
  FromWorkerSchema,
  ShutdownReportSchema,
  WORKER_METHODS,
  WorkerContextSchema,
  WorkerSettingsSchema,
  type ShutdownReport,
  type ToWorker,
  type WorkerContext,
  type WorkerMethod,
  type WorkerSettings
} from './workerProtocol.js'

export interface InferenceWorkerHostOptions {
  /** The worker's entry: `out/main/inferenceWorker.js` in the app; a tsx bootstrap in tests. */
  workerUrl: URL
  /** How the worker's model slot loads models. */
  settings: WorkerSettings
  /** More for the Worker (tests pass the TypeScript entry in `workerData`; `settings` is added to it). */
  workerOptions?: WorkerOptions
  /** Where run tokens go (main's `StreamHub`). */
  streams: { append(stream: string, ...tokens: string[]): unknown; end(stream: string): void }
  /** Publishes `run.events` (main's `RunEventLog`). */
  runEvent(event: RunEventPayload): void
  /** Where main's `run.events` stands: put into the worker's `runs.status` answers. */
  runEventCursor?(): { epoch: string; next: number }
  /** Publishes `workspace.changed`. */
  changed?(event: WorkspaceChanged): void
  /** Publishes `annotation.events`. */
  annotationEvent?(event: AnnotationEventPayload): void
  /** Publishes `model.download`. */
  modelDownload?(event: ModelDownloadEvent): void
  /** Told when the worker crashes (an uncaught error there); calls fail with `unavailable` from then on. */
  onError?(error: Error): void
}

interface Pending {
  resolve(value: unknown): void
  reject(error: Error): void
}

const WORKER_GONE = 'The inference worker stopped; restart the app to run discussions again.'

/**
 * Main's side of the inference worker: starts it, forwards the contract's model methods to it, and
 * republishes what it sends (run events, tokens, annotation events, downloads, workspace changes)
 * through main's publishers. Every message from the worker is parsed before use; a worker that dies
 * fails the calls in flight and every later one.
 */
export class InferenceWorkerHost {
  private readonly worker: Worker
  private readonly pending = new Map<number, Pending>()
  private nextId = 0
  private exited: Error | null = null
  private stopped: Promise<ShutdownReport> | null = null

  constructor(private readonly options: InferenceWorkerHostOptions) {
    const given = options.workerOptions?.workerData as Record<string, unknown> | undefined
    this.worker = new Worker(options.workerUrl, {
      ...options.workerOptions,
      workerData: { ...given, settings: WorkerSettingsSchema.parse(options.settings) }
    })
    this.worker.on('message', (raw: unknown) => this.receive(raw))
    this.worker.on('error', (error) => {
      this.options.onError?.(error)
      this.fail(new ApiError('unavailable', `${WORKER_GONE} (${error.message})`))
    })
    this.worker.on('exit', () => this.fail(new ApiError('unavailable', WORKER_GONE)))
  }

  /** Calls one of the worker's methods; input and output are parsed there and here. */
  async call<M extends WorkerMethod>(method: M, input: unknown, context: WorkerContext): Promise<z.output<AppContract[M]['output']>> {
    const value = await this.request({ type: 'call', id: this.id(), method, input, context: WorkerContextSchema.parse(context) })
    const parsed = appContract[method].output.safeParse(value)
    if (!parsed.success) throw new ApiError('invalid-output', `the inference worker answered ${method} with something that is not its output`)
    const output = parsed.data as z.output<AppContract[M]['output']>
    // The worker's events reached main's log before its answer (one ordered channel), so main's cursor covers them.
    if (method === 'runs.status' && this.options.runEventCursor) {
      return { ...(output as object), events: this.options.runEventCursor() } as z.output<AppContract[M]['output']>
    }
    return output
  }

  /** The worker's methods, for the desktop host's implementation; `context` is read at every call. */
  methods(context: () => WorkerContext): Pick<Implementation<AppContract>, WorkerMethod> {
    return Object.fromEntries(WORKER_METHODS.map((method) => [method, (input: unknown) => this.call(method, input, context())])) as unknown as Pick<
      Implementation<AppContract>,
      WorkerMethod
    >
  }

  /**
   * Pauses every run so no new step starts and cancels annotation jobs, waits up to `graceMs` for
   * the steps in flight to be journaled, frees the model and ends the worker. Whatever was cut
   * short resumes from the journal. Called twice, both wait for the same shutdown.
   */
  shutdown(graceMs = 10_000): Promise<ShutdownReport> {
    this.stopped ??= (async () => {
      if (this.exited) return { runs: [], cutShort: 0, annotationJobs: 0 }
      const report = ShutdownReportSchema.parse(await this.request({ type: 'shutdown', id: this.id(), graceMs }))
      await this.worker.terminate()
      return report
    })()
    return this.stopped
  }

  private id(): number {
    return this.nextId++
  }

  private request(message: ToWorker): Promise<unknown> {
    if (this.exited) return Promise.reject(this.exited)
    return new Promise((resolve, reject) => {
      this.pending.set(message.id, { resolve, reject })
      this.worker.postMessage(message)
    })
  }

  private receive(raw: unknown): void {
    const parsed = FromWorkerSchema.safeParse(raw)
    if (!parsed.success) return
    const message = parsed.data
    switch (message.type) {
      case 'result':
      case 'failure': {
        const pending = this.pending.get(message.id)
        if (pending === undefined) return
        this.pending.delete(message.id)
        if (message.type === 'result') pending.resolve(message.value)
        else pending.reject(ApiError.fromShape(message.error))
        return
      }
      case 'run-event':
        this.options.runEvent(message.event)
        return
      case 'tokens':
        this.options.streams.append(message.stream, ...message.tokens)
        return
      case 'stream-end':
        this.options.streams.end(message.stream)
        return
      case 'changed':
        this.options.changed?.(message.event)
        return
      case 'annotation-event':
        this.options.annotationEvent?.(message.event)
        return
      case 'model-download':
        this.options.modelDownload?.(message.event)
        return
    }
  }

  private fail(error: Error): void {
    this.exited ??= error
    for (const pending of this.pending.values()) pending.reject(error)
    this.pending.clear()
  }
}
