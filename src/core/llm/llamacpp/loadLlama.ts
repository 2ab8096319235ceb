import type { Llama, LlamaGpuType, LlamaLogLevel, LlamaOptions } from 'node-llama-cpp'
import { nodeLlamaCpp } from '../../models/nodeLlamaCpp.js'
import { BackendError, type BackendWarning } from '../backend.js'
import { probeGpu, type GpuProbeResult } from './probeGpu.js'

/** `auto`: the best GPU that really works here (CUDA, then Vulkan), else the CPU. */
export type GpuOption = 'auto' | 'cuda' | 'vulkan' | false

export interface LoadLlamaOptions {
  readonly gpu: GpuOption
  /** CPU threads; also the Llama's thread cap (node-llama-cpp's default thrashes small machines). */
  readonly threads: number
  /** What to do when the GPU asked for does not work: carry on on the CPU (default) or throw 'gpu-unavailable'. */
  readonly onGpuFailure?: 'cpu' | 'error'
  /** Run the GPU in a child process before trusting it (default true). */
  readonly probe?: boolean
  readonly logLevel?: LlamaLogLevel
  readonly logger?: LlamaOptions['logger']
}

export interface LoadedLlama {
  readonly llama: Llama
  readonly warnings: readonly BackendWarning[]
}

/** Seams for tests: the real ones load binaries and spawn processes. */
export interface LoadLlamaDependencies {
  getLlama(options: LlamaOptions): Promise<Llama>
  probeGpu(gpu: Exclude<LlamaGpuType, false>): Promise<GpuProbeResult>
}

/**
 * Loads llama.cpp for the requested GPU and falls back step by step (CUDA → Vulkan → CPU for
 * 'auto'; the named GPU → CPU otherwise). A GPU counts as working only when its binary loads AND a
 * tiny model runs on it in a child process: a binary built for a newer CUDA toolchain loads fine
 * and then kills the process at the first decode. Each fallback is reported as a warning.
 */
export async function loadLlama(options: LoadLlamaOptions, dependencies?: LoadLlamaDependencies): Promise<LoadedLlama> {
  const deps = dependencies ?? (await defaultDependencies())
  const base = {
    build: 'never' as const,
    maxThreads: options.threads,
    ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
    ...(options.logger === undefined ? {} : { logger: options.logger })
  }
  const warnings: BackendWarning[] = []
  const cpu = async () => ({ llama: await deps.getLlama({ ...base, gpu: false }), warnings })
  if (options.gpu === false) return cpu()

  const failed: Exclude<LlamaGpuType, false>[] = []
  for (;;) {
    const requested = options.gpu === 'auto' ? { type: 'auto' as const, exclude: [...failed] } : options.gpu
    let llama: Llama
    try {
      llama = await deps.getLlama({ ...base, gpu: requested })
    } catch (error) {
      const what = options.gpu === 'auto' ? 'no GPU binary' : `the ${options.gpu} binary`
      warn(warnings, options, `${what} could be loaded (${firstLine(error)})`)
      return cpu()
    }
    if (llama.gpu === false) return { llama, warnings }
    if (options.probe === false) return { llama, warnings }
    const probe = await deps.probeGpu(llama.gpu)
    if (probe.ok) return { llama, warnings }
    await llama.dispose()
    warn(warnings, options, `${llama.gpu} loaded but failed a test run: ${probe.reason ?? 'unknown error'}`)
    failed.push(llama.gpu)
    if (options.gpu !== 'auto') return cpu()
  }
}

function warn(warnings: BackendWarning[], options: LoadLlamaOptions, problem: string): void {
  if (options.onGpuFailure === 'error') throw new BackendError('gpu-unavailable', `GPU unavailable: ${problem}`)
  warnings.push({ code: 'gpu-unavailable', message: `GPU unavailable, using the CPU instead: ${problem}` })
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''
}

async function defaultDependencies(): Promise<LoadLlamaDependencies> {
  const { getLlama } = await nodeLlamaCpp()
  return { getLlama: (options) => getLlama(options), probeGpu: (gpu) => probeGpu(gpu) }
}
