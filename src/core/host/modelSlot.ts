import { basename } from 'node:path'
import type { Llama } from 'node-llama-cpp'
import type { GenerateCallbacks, GenerationRequest, GenerationResult, InferenceBackend } from '../llm/backend.js'
import { createLlamaCppBackend, type LlamaCppBackendInfo } from '../llm/llamacpp/LlamaCppBackend.js'
import { loadLlama, type GpuOption } from '../llm/llamacpp/loadLlama.js'
import { isDemoModelFileName } from '../demo/demoModel.js'

/** Why the slot refused: a model is busy, or the file cannot be loaded. */
export type ModelSlotErrorCode = 'busy' | 'load-failed'

export class ModelSlotError extends Error {
  override readonly name = 'ModelSlotError'
  constructor(
    readonly code: ModelSlotErrorCode,
    message: string,
    options?: { cause?: unknown }
  ) {
    super(message, options)
  }
}

/** What the host reports about the loaded model. */
export interface LoadedModelStatus {
  fileName: string
  path: string
  /** Layers offloaded to the GPU (0 on the CPU). */
  gpuLayers: number
  contextSize: number
  sequences: number
  backend: 'llama.cpp' | 'openai'
  /** The compute backend llama.cpp uses, or false for the CPU. */
  gpu: string | false
  modelName: string
  /** The random-weight demo model: its text is meaningless. */
  isDemo: boolean
  /** Runs or generations using it right now. */
  inUse: boolean
}

export interface ModelLoadRequest {
  path: string
  gpuLayers?: number | 'auto'
  contextSize?: number
}

export interface ModelSlotOptions {
  /** CPU threads llama.cpp uses (the host's `--threads`). */
  threads: number
  /** Default 'auto': the best working GPU, else the CPU. */
  gpu?: GpuOption
  /** KV-cache sequences per loaded model (requests served at once). Default 4. */
  sequences?: number
  /** Context per sequence when a load does not say. Default 4096 (or the model's trained length if smaller). */
  contextSize?: number
  /** A model loaded before the slot existed (`sdf serve --model`): its owner disposes it, never the slot. */
  initial?: InferenceBackend | null
  /** The Llama to load models with (tests pass a shared, single-threaded one); loaded on first use otherwise. */
  llama?: () => Promise<Llama>
  /** Loads a model (tests may replace it); default: core's llama.cpp backend on the slot's Llama. */
  load?: (request: ModelLoadRequest, llama: () => Promise<Llama>) => Promise<InferenceBackend>
}

interface Held {
  backend: InferenceBackend
  /** The slot loaded it, so it disposes it on unload. */
  owned: boolean
  path: string
}

/** What a run holds while it uses the model; `release` is idempotent. */
export interface ModelLease {
  backend: InferenceBackend
  release(): void
}

function infoOf(backend: InferenceBackend): Partial<LlamaCppBackendInfo> {
  return (backend as { info?: Partial<LlamaCppBackendInfo> }).info ?? {}
}

/**
 * The one model a host has loaded, switchable at run time. Runs take a lease for their whole
 * length (paused included), and every generation counts while it is in flight, so the model is
 * never unloaded or replaced under a run or an annotation job: `load` and `unload` refuse with
 * `busy` instead. Callers get a stand-in backend that forwards to the loaded one; it never
 * disposes the model (the slot does, on unload or close).
 */
export class ModelSlot {
  private held: Held | null
  private leases = 0
  private generating = 0
  private loading: Promise<unknown> | null = null
  private llama: Promise<Llama> | null = null
  /** Runs that held a lease, by id: settle when the run ends (the last ones only). */
  private readonly runEnds = new Map<string, Promise<void>>()

  constructor(private readonly options: ModelSlotOptions) {
    const initial = options.initial ?? null
    this.held = initial === null ? null : { backend: initial, owned: false, path: infoOf(initial).modelPath ?? initial.modelName }
  }

  /** The backend runs generate on (a stand-in that tracks use), or null when none is loaded. */
  backend(): InferenceBackend | null {
    const held = this.held
    if (held === null) return null
    return this.standIn(held.backend)
  }

  /** True while a run holds a lease or a generation is in flight. */
  inUse(): boolean {
    return this.leases > 0 || this.generating > 0
  }

  status(): LoadedModelStatus | null {
    const held = this.held
    if (held === null) return null
    const info = infoOf(held.backend)
    const fileName = basename(held.path)
    return {
      fileName,
      path: held.path,
      gpuLayers: info.gpuLayers ?? 0,
      contextSize: info.contextSize ?? 0,
      sequences: info.sequences ?? 1,
      backend: held.backend.kind,
      gpu: info.gpu ?? false,
      modelName: held.backend.modelName,
      isDemo: isDemoModelFileName(fileName),
      inUse: this.inUse()
    }
  }

  /** Takes the model for the length of a run (until `release`); null when none is loaded. */
  lease(): ModelLease | null {
    const backend = this.backend()
    if (backend === null) return null
    this.leases += 1
    let released = false
    return {
      backend,
      release: () => {
        if (released) return
        released = true
        this.leases -= 1
      }
    }
  }

  /** Settles when the run (one that held a lease) has ended; null for a run the slot never saw. */
  whenRunEnds(runId: string): Promise<void> | null {
    return this.runEnds.get(runId) ?? null
  }

  /** Holds `lease` until the run's `start()` settles, and remembers when it ends. */
  holdForRun<R extends { readonly runId: string; start(): Promise<unknown> }>(run: R, lease: ModelLease): R {
    const start = run.start.bind(run)
    let ended!: () => void
    this.runEnds.set(run.runId, new Promise<void>((resolve) => (ended = resolve)))
    for (const old of [...this.runEnds.keys()].slice(0, Math.max(0, this.runEnds.size - 50))) this.runEnds.delete(old)
    let started: Promise<unknown> | null = null
    run.start = () => {
      started ??= start().finally(() => {
        lease.release()
        ended()
      })
      return started
    }
    return run
  }

  /**
   * Loads a model in place of the current one. Refused while the current one is in use or another
   * load is under way. The current model is unloaded first: two large models rarely fit in memory
   * (or VRAM) at once, so a failed load leaves no model loaded, and the error says so.
   */
  async load(request: ModelLoadRequest): Promise<LoadedModelStatus> {
    this.refuseWhileBusy('load another model')
    const load = this.options.load ?? defaultLoad(this.options)
    const previous = this.held
    const loading = (async () => {
      this.held = null
      if (previous?.owned) await previous.backend.dispose()
      return load(request, () => this.sharedLlama())
    })()
    this.loading = loading
    let backend: InferenceBackend
    try {
      backend = await loading
    } catch (error) {
      const before = previous === null ? '' : ` (${basename(previous.path)} was unloaded first to free its memory; load it again to go on with it)`
      throw new ModelSlotError('load-failed', `${basename(request.path)} could not be loaded: ${(error as Error).message}${before}`, { cause: error })
    } finally {
      this.loading = null
    }
    this.held = { backend, owned: true, path: request.path }
    return this.status() as LoadedModelStatus
  }

  /** Unloads the model (a model the slot did not load is only let go); refused while it is in use. */
  async unload(): Promise<void> {
    this.refuseWhileBusy('unload the model')
    const previous = this.held
    this.held = null
    if (previous?.owned) await previous.backend.dispose()
  }

  /** Unloads whatever the slot loaded and its Llama, whether in use or not (the host is stopping). */
  async close(): Promise<void> {
    const previous = this.held
    this.held = null
    if (previous?.owned) await previous.backend.dispose().catch(() => undefined)
    const llama = this.llama
    this.llama = null
    if (llama !== null && this.options.llama === undefined) await (await llama.catch(() => null))?.dispose()
  }

  private refuseWhileBusy(what: string): void {
    if (this.loading !== null) throw new ModelSlotError('busy', `A model is being loaded; wait until it has loaded, then ${what}.`)
    if (this.inUse()) {
      const who = this.leases > 0 ? `${this.leases === 1 ? 'a run is' : `${this.leases} runs are`} using it` : 'it is generating'
      throw new ModelSlotError(
        'busy',
        `Cannot ${what} now: ${who}. Wait until the run ends, or cancel it, then try again.`
      )
    }
  }

  private sharedLlama(): Promise<Llama> {
    this.llama ??= this.options.llama
      ? this.options.llama()
      : loadLlama({ gpu: this.options.gpu ?? 'auto', threads: this.options.threads }).then(({ llama, warnings }) => {
          for (const warning of warnings) console.error(`sdf: warning: ${warning.message}`)
          return llama
        })
    return this.llama
  }

  private standIn(backend: InferenceBackend): InferenceBackend {
    const counting = (delta: number) => {
      this.generating += delta
    }
    // Inherits from the loaded backend, so what provenance reads (`instanceof LlamaCppBackend`,
    // `info`, `modelName`) is the model's own; only these three are the stand-in's.
    const standIn = Object.create(backend) as InferenceBackend
    Object.defineProperties(standIn, {
      generate: {
        value: async (request: GenerationRequest, callbacks?: GenerateCallbacks): Promise<GenerationResult> => {
          counting(1)
          try {
            return await backend.generate(request, callbacks)
          } finally {
            counting(-1)
          }
        }
      },
      releaseAgent: { value: (agentKey: string) => backend.releaseAgent?.(agentKey) },
      // The slot owns the model: a caller finishing with it must not unload it for everyone.
      dispose: { value: async () => undefined }
    })
    return standIn
  }
}

function defaultLoad(options: ModelSlotOptions) {
  return async (request: ModelLoadRequest, llama: () => Promise<Llama>): Promise<InferenceBackend> =>
    createLlamaCppBackend({
      modelPath: request.path,
      llama: await llama(),
      threads: options.threads,
      sequences: options.sequences ?? 4,
      ...(request.contextSize ?? options.contextSize ? { contextSize: request.contextSize ?? options.contextSize } : {}),
      ...(request.gpuLayers === undefined ? {} : { gpuLayers: request.gpuLayers })
    })
}

/**
 * The studio ports with every run holding a lease on the slot's model from its creation until its
 * `start()` settles, so the model cannot be unloaded or replaced under a run, paused ones included.
 */
export function withModelLeases<P extends { createRun(...args: never[]): Promise<{ readonly runId: string; start(): Promise<unknown> }> }>(
  ports: P,
  slot: ModelSlot
): P {
  const createRun = ports.createRun.bind(ports) as (...args: unknown[]) => Promise<{ readonly runId: string; start(): Promise<unknown> }>
  const wrapped = async (...args: unknown[]) => {
    const lease = slot.lease()
    try {
      const run = await createRun(...args)
      return lease === null ? run : slot.holdForRun(run, lease)
    } catch (error) {
      lease?.release()
      throw error
    }
  }
  return { ...ports, createRun: wrapped }
}
