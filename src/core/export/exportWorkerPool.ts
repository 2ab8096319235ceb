import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { fileURLToPath, pathToFileURL } from 'node:url'
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
  static start(count: number): ExportWorkerPool | undefined {
    if (count < 2) return undefined
    const start = workerStarter()
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

/** Workers to use by default: two where there are two cores or more, since the main thread mostly waits on them. */
export function defaultExportWorkers(): number {
  return Math.min(2, availableParallelism())
}

/**
 * How to start a worker from where this module runs. From the TypeScript sources (tsx, vitest) a
 * worker needs tsx registered before it can import `exportWorker.ts`; a build has `exportWorker.js`
 * beside this module only if it was built as an entry of its own, and otherwise gets none.
 */
function workerStarter(): (() => Worker) | undefined {
  const here = import.meta.url
  if (here.endsWith('.ts')) {
    const entry = new URL('./exportWorker.ts', here).href
    const tsx = tsxEsmApi(fileURLToPath(here))
    if (!tsx) return undefined
    // An eval'd worker is a CommonJS script: import() tsx's ESM API, register, then the entry.
    const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}) })`
    return () => new Worker(code, { eval: true })
  }
  const entry = new URL('./exportWorker.js', here)
  if (!existsSync(entry)) return undefined
  return () => new Worker(entry)
}

/** tsx's ESM API (its `register`), found through its package.json's exports: the CommonJS one cannot register from an eval'd worker. */
function tsxEsmApi(from: string): string | undefined {
  try {
    const manifest = createRequire(from).resolve('tsx/package.json')
    const exports = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: Record<string, { import?: { default?: string } }> }).exports
    const api = exports?.['./esm/api']?.import?.default
    return api ? new URL(api, pathToFileURL(manifest)).href : undefined
  } catch {
    return undefined
  }
}
