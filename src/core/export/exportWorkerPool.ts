import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { ExportWorkerMessage, ExportWorkerReply, ExportWorkerRequest } from './exportWorkerProtocol.js'

type Request = ExportWorkerRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never

/** An export worker could not start, failed or stopped: the export can be done again without workers. */
export class ExportWorkerError extends Error {
  override name = 'ExportWorkerError'
}

interface Pending {
  worker: PooledWorker
  resolve(reply: ExportWorkerReply): void
  reject(error: Error): void
}

interface PooledWorker {
  thread: Worker
  /** Requests sent and not yet answered: a new one goes to the worker with the fewest. */
  outstanding: number
}

/**
 * Export worker threads (`exportWorker.ts`). A request goes to the least busy worker; each worker
 * answers its requests in the order it got them. A worker that fails or exits fails every request
 * in flight with its error, and the pool with it.
 */
export class ExportWorkerPool {
  private readonly workers: PooledWorker[]
  private readonly pending = new Map<number, Pending>()
  private nextId = 1
  private failure: Error | undefined
  private closing = false
  private nextRecycle = 0

  private constructor(threads: Worker[]) {
    this.workers = threads.map((thread) => ({ thread, outstanding: 0 }))
    for (const worker of this.workers) {
      worker.thread.on('message', (reply: ExportWorkerReply) => this.answer(worker, reply))
      worker.thread.on('error', (error) => this.fail(new ExportWorkerError(`export worker failed: ${error.message}`)))
      worker.thread.on('exit', (code) => {
        if (!this.closing) this.fail(new ExportWorkerError(`export worker exited (code ${code}) before the export finished`))
      })
    }
  }

  /**
   * Starts `count` workers, or returns undefined where none can run: fewer than two wanted, or no
   * worker entry next to this module (a bundle built without it), so the caller exports in process.
   */
  static async start(count: number): Promise<ExportWorkerPool | undefined> {
    if (count < 2) return undefined
    const start = await workerStarter()
    if (!start) return undefined
    return new ExportWorkerPool(Array.from({ length: count }, start))
  }

  get size(): number {
    return this.workers.length
  }

  /** Sends a request to the least busy worker; resolves with its answer. */
  request(request: Request): Promise<ExportWorkerReply> {
    const worker = this.workers.reduce((least, candidate) => (candidate.outstanding < least.outstanding ? candidate : least))
    return this.send(worker, request)
  }

  /** Sends the same request to every worker; resolves when all have answered. */
  broadcast(request: Request): Promise<ExportWorkerReply[]> {
    return Promise.all(this.workers.map((worker) => this.send(worker, request)))
  }

  /** Hands chunk buffers back to the workers (in turn) to fill again. */
  recycle(buffers: ArrayBuffer[]): void {
    if (this.failure || this.closing || buffers.length === 0) return
    const worker = this.workers[this.nextRecycle++ % this.workers.length]!
    const message: ExportWorkerMessage = { type: 'recycle', buffers }
    worker.thread.postMessage(message, buffers)
  }

  async close(): Promise<void> {
    if (this.closing) return
    this.closing = true
    for (const pending of this.pending.values()) pending.reject(new ExportWorkerError('export workers closed'))
    this.pending.clear()
    await Promise.all(this.workers.map((worker) => worker.thread.terminate()))
  }

  private send(worker: PooledWorker, request: Request): Promise<ExportWorkerReply> {
    if (this.failure) return Promise.reject(this.failure)
    const id = this.nextId++
    return new Promise<ExportWorkerReply>((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject })
      worker.outstanding += 1
      worker.thread.postMessage({ ...request, id } as ExportWorkerRequest)
    })
  }

  private answer(worker: PooledWorker, reply: ExportWorkerReply): void {
    const pending = this.pending.get(reply.id)
    if (!pending) return
    this.pending.delete(reply.id)
    worker.outstanding -= 1
    if (reply.type === 'failed') {
      const error = new ExportWorkerError(`export worker: ${reply.message}`)
      if (reply.stack) error.stack = reply.stack
      pending.reject(error)
    } else pending.resolve(reply)
  }

  private fail(error: Error): void {
    this.failure ??= error
    for (const pending of this.pending.values()) pending.reject(error)
    this.pending.clear()
  }
}

/** More workers than this gained little on 16 cores (CSV 4.4 s with six, 6.0 s with four) and each holds ~150 MB. */
const MOST_DEFAULT_WORKERS = 6

/**
 * Workers to use by default: two where there are two cores (the main thread mostly waits on
 * them), one per core but the main thread's where there are more, up to six.
 */
export function defaultExportWorkers(): number {
  const cores = availableParallelism()
  return cores < 2 ? cores : Math.min(MOST_DEFAULT_WORKERS, Math.max(2, cores - 1))
}

/**
 * Young-generation size of a worker's heap. Reading and encoding allocate hundreds of megabytes of
 * short-lived strings and objects; with V8's default young generation that is a scavenge every few
 * milliseconds. A larger one collects less often (the one-thread export with 64 MB semi-spaces
 * took 16.2 s of CPU against 18.9 s).
 */
const WORKER_YOUNG_GENERATION_MB = 96

/**
 * How to start a worker from where this module runs, or undefined where none can start (the
 * export then runs in the calling thread).
 * - Built (the desktop app's main bundle): `exportWorker.js`, an entry of its own, beside this
 *   module or, when this module was split into `chunks/`, one folder up.
 * - From the TypeScript sources (`bin/sdf`, `sdf serve`, vitest): the entry bundled into one
 *   CommonJS script with esbuild (tsx's own compiler, so present wherever tsx is), run as an
 *   eval'd worker. That takes ~0.2 s once; registering tsx in each worker instead cost ~0.9 s and
 *   ~0.85 s of CPU per worker, since every import then goes through tsx's loader hooks.
 */
async function workerStarter(): Promise<(() => Worker) | undefined> {
  const here = import.meta.url
  const resourceLimits = { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB }
  if (here.endsWith('.ts')) {
    const script = await bundledWorkerScript(fileURLToPath(new URL('./exportWorker.ts', here)))
    if (script === undefined) return undefined
    return () => new Worker(script, { eval: true, resourceLimits })
  }
  const candidates = [new URL('./exportWorker.js', here), ...(here.includes('/chunks/') ? [new URL('../exportWorker.js', here)] : [])]
  const entry = candidates.find((candidate) => existsSync(candidate))
  return entry ? () => new Worker(entry, { resourceLimits }) : undefined
}

let bundling: Promise<string | undefined> | undefined

/** The worker entry and everything it imports as one CommonJS script (made once per process). */
function bundledWorkerScript(entry: string): Promise<string | undefined> {
  bundling ??= (async () => {
    try {
      const esbuild = createRequire(createRequire(entry).resolve('tsx/package.json'))('esbuild') as typeof import('esbuild')
      const result = await esbuild.build({
        entryPoints: [entry],
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: `node${process.versions.node}`,
        write: false,
        // Only the Parquet writer imports DuckDB, and workers never write Parquet themselves.
        external: ['@duckdb/*'],
        logLevel: 'silent'
      })
      return result.outputFiles[0]?.text
    } catch {
      return undefined
    }
  })()
  return bundling
}
