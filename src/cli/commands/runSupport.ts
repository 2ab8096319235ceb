import { InvalidArgumentError } from 'commander'
import type { Llama } from 'node-llama-cpp'
import {
  BackendError,
  createLlamaCppBackend,
  loadLlama,
  ModelFileError,
  readModelFile,
  type DiscussionRun,
  type GpuOption,
  type LlamaCppBackend,
  type RunEvent,
  type RunResult
} from '../../core/index.js'
import { CliError } from '../cliError.js'

/** Shared by `generate-conversations`, `run` and `resume`: loading the model, progress, summaries. */

export interface ModelSettings {
  modelPath: string
  /** For error messages: the flag that named the model. */
  flag: string
  threads: number
  gpu: GpuOption
  gpuLayers?: number
  contextSize: number
  sequences: number
  /** Tokens evaluated per batch; 1 makes results independent of what the cache holds (slow). */
  batchSize?: number
  modelName?: string
}

export interface LoadedModel {
  backend: LlamaCppBackend
  llama: Llama
  close(): Promise<void>
}

/** Fails fast, before llama.cpp loads, when the model file is missing or not a GGUF file. */
export async function checkModelFile(path: string, flag: string): Promise<void> {
  try {
    await readModelFile(path)
  } catch (error) {
    if (error instanceof ModelFileError) throw new CliError(`${flag}: ${error.message}`)
    throw error
  }
}

/** Loads llama.cpp (GPU with CPU fallback, warnings on stderr) and the model. */
export async function loadModel(settings: ModelSettings): Promise<LoadedModel> {
  await checkModelFile(settings.modelPath, settings.flag)
  const { llama, warnings } = await loadLlama({ gpu: settings.gpu, threads: settings.threads })
  for (const warning of warnings) process.stderr.write(`sdf: warning: ${warning.message}\n`)
  try {
    const backend = await createLlamaCppBackend({
      modelPath: settings.modelPath,
      llama,
      threads: settings.threads,
      contextSize: settings.contextSize,
      sequences: settings.sequences,
      gpu: settings.gpu,
      ...(settings.gpuLayers === undefined || settings.gpu === false ? {} : { gpuLayers: settings.gpuLayers }),
      ...(settings.modelName === undefined ? {} : { modelName: settings.modelName }),
      ...(settings.batchSize === undefined ? {} : { batchSize: settings.batchSize })
    })
    return {
      backend,
      llama,
      close: async () => {
        await backend.dispose()
        await llama.dispose()
      }
    }
  } catch (error) {
    await llama.dispose()
    if (error instanceof BackendError) throw new CliError(`${settings.flag}: ${error.message}`)
    throw error
  }
}

/** llama.cpp refuses contexts with more sequences than this. */
const MAX_SEQUENCES = 256

/**
 * How many KV-cache sequences to give the backend: one per agent of every discussion running at
 * once lets each agent keep its prompt prefix between turns; capped so the cache stays near 64k
 * tokens in all (more sequences only cost memory, never correctness).
 */
export function sequencesFor(concurrency: number, agentsPerDiscussion: number, contextSize: number): number {
  const wanted = concurrency * Math.max(1, agentsPerDiscussion)
  const affordable = Math.max(concurrency, Math.floor(65_536 / Math.max(1, contextSize)))
  return Math.max(1, Math.min(wanted, affordable, MAX_SEQUENCES))
}

export function positiveNumber(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number.parseInt(value, 10) < 1) throw new InvalidArgumentError('expected a whole number >= 1')
  return Number.parseInt(value, 10)
}

export function gpuChoice(value: string): GpuOption {
  if (value === 'auto' || value === 'cuda' || value === 'vulkan') return value
  if (value === 'cpu' || value === 'false' || value === 'none') return false
  throw new InvalidArgumentError('expected auto, cuda, vulkan or cpu')
}

const BAR_WIDTH = 24
const REDRAW_MS = 100

/**
 * A one-line progress bar on stderr, only when stderr is a terminal. Lines written through `log`
 * clear the bar first and redraw it after, so the two never garble each other.
 */
export class ProgressLine {
  private readonly enabled: boolean
  private finished = 0
  private failed = 0
  private running = 0
  private comments = 0
  private tokens = 0
  private readonly startedAt = Date.now()
  private lastDraw = 0
  private shown = false

  /** `alreadyDone`: discussions that ended in an earlier session of a resumed run. */
  constructor(
    private readonly total: number,
    alreadyDone = 0
  ) {
    this.enabled = process.stderr.isTTY === true
    this.finished = alreadyDone
  }

  /** Feeds a run event into the counters. */
  observe(event: RunEvent): void {
    if (event.type === 'discussion-state') {
      if (event.state === 'finished') this.finished += 1
      if (event.state === 'failed' || event.state === 'cancelled') this.failed += 1
    } else if (event.type === 'discussion') {
      const inner = event.event
      if (inner.type === 'comment' && !inner.replayed) this.comments += 1
      if (inner.type === 'step' && !inner.replayed) this.tokens += inner.step.stats.generatedTokens
    }
    this.draw(false)
  }

  setRunning(count: number): void {
    this.running = count
  }

  log(line: string, stream: NodeJS.WriteStream = process.stdout): void {
    this.clear()
    stream.write(`${line}\n`)
    this.draw(true)
  }

  done(): void {
    this.clear()
  }

  private clear(): void {
    if (!this.enabled || !this.shown) return
    process.stderr.write('\r\x1b[2K')
    this.shown = false
  }

  private draw(force: boolean): void {
    if (!this.enabled) return
    const now = Date.now()
    if (!force && now - this.lastDraw < REDRAW_MS) return
    this.lastDraw = now
    const done = this.finished + this.failed
    const filled = this.total === 0 ? BAR_WIDTH : Math.round((done / this.total) * BAR_WIDTH)
    const seconds = (now - this.startedAt) / 1000
    const rate = seconds > 0 ? this.tokens / seconds : 0
    const parts = [
      `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${done}/${this.total} discussions`,
      ...(this.running > 0 ? [`${this.running} running`] : []),
      ...(this.failed > 0 ? [`${this.failed} failed`] : []),
      `${this.comments} comments`,
      `${rate.toFixed(1)} tok/s`
    ]
    process.stderr.write(`\r\x1b[2K${parts.join(' · ')}`)
    this.shown = true
  }
}

/** Wires a run to a progress line; returns the detach function. */
export function showProgress(run: DiscussionRun, progress: ProgressLine): () => void {
  return run.subscribe((event) => {
    progress.setRunning(run.status().filter((status) => status.state === 'running' || status.state === 'paused').length)
    progress.observe(event)
  })
}

/** The end-of-run lines on stderr; throws CliError (exit 1) when any discussion failed. */
export function reportRunResult(result: RunResult, resumeHint: string): void {
  const parts = [`${result.finished.length} finished`]
  if (result.failed.length > 0) parts.push(`${result.failed.length} failed`)
  if (result.cancelled.length > 0) parts.push(`${result.cancelled.length} cancelled`)
  process.stderr.write(`sdf: run ${result.run_id}: ${parts.join(', ')}\n`)
  for (const failure of result.failed) process.stderr.write(`sdf: ${failure.id} failed: ${failure.reason}\n`)
  if (result.failed.length > 0) {
    throw new CliError(`${result.failed.length} discussion(s) failed; fix the cause and continue with: ${resumeHint}`)
  }
}

/**
 * Ctrl+C stops at once: every completed step is already journaled, so this is as safe as a crash
 * and the run continues with `resumeHint`.
 */
export function exitOnInterrupt(resumeHint: string): () => void {
  const onSigint = (): void => {
    process.stderr.write(`\nsdf: interrupted; continue with: ${resumeHint}\n`)
    process.exit(130)
  }
  process.once('SIGINT', onSigint)
  return () => process.off('SIGINT', onSigint)
}
