import { randomUUID } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { DEMO_MODEL_NOTICE, ensureDemoModel } from '../demo/demoModel.js'
import { downloadModel, type DownloadModelOptions, type DownloadedModel } from '../models/downloadModel.js'
import { ModelFileError } from '../models/ModelFileError.js'
import { readModelFile } from '../models/readModelFile.js'
import { ModelSlotError, type LoadedModelStatus, type ModelSlot } from './modelSlot.js'

/** What the models methods can fail with; shared maps the codes onto its typed errors. */
export type ModelsPortErrorCode = 'invalid-input' | 'not-found' | 'unavailable'

export class ModelsPortError extends Error {
  override readonly name = 'ModelsPortError'
  constructor(
    readonly code: ModelsPortErrorCode,
    message: string
  ) {
    super(message)
  }
}

export type ModelDownloadState = 'running' | 'done' | 'failed'

/** One download as the `model.download` events and `models.status` report it. */
export interface ModelDownloadReport {
  downloadId: string
  source: string
  /** The file in the models folder: guessed from the source while running, exact once done; null when unknown. */
  fileName: string | null
  receivedBytes: number
  totalBytes: number | null
  state: ModelDownloadState
  error: string | null
}

export interface ModelsPortsOptions {
  slot: ModelSlot
  /** The host's models folder, or null when it has none (desktop: none chosen yet). */
  modelsFolder(): string | null
  /** Tells the host about a download's progress (the `model.download` event stream). */
  downloadEvent?(report: ModelDownloadReport): void
  /** Fetches a model; core's `downloadModel` unless given (tests). */
  download?: (source: string, folder: string, options: DownloadModelOptions) => Promise<DownloadedModel>
  /** Least time between two progress events of one download. Default 250 ms. */
  progressIntervalMs?: number
  /** A download that makes no progress for this long is given up as failed. Default 60 s. */
  stallTimeoutMs?: number
}

const NO_FOLDER = 'This host has no models folder yet. Choose one first (Models → Choose folder).'
/** Downloads remembered for `status` after they ended, newest last. */
const KEPT_DOWNLOADS = 20

/**
 * A model file name as the UI gives it: a file directly in the models folder. Anything else (a
 * path, `..`, another folder) is refused, so no caller can make the host load a file elsewhere.
 */
export function checkModelFileName(fileName: string): string | null {
  if (fileName.trim() === '' || fileName !== fileName.trim()) return 'is empty or starts or ends with spaces'
  if (/[/\\\0]/.test(fileName) || fileName === '.' || fileName === '..') {
    return 'must be the name of a file in the models folder, not a path'
  }
  if (!fileName.toLowerCase().endsWith('.gguf')) return 'is not a GGUF model (the name must end in .gguf)'
  return null
}

/** An `https://` URL, or a Hugging Face URI `hf:<user>/<repo>[/<file>|:<quant>]`; the problem otherwise. */
export function checkDownloadSource(source: string): string | null {
  if (source.startsWith('hf:')) {
    return /^hf:[\w.-]+\/[\w.-]+(?:\/[^\s]+|:[\w.-]+)?$/.test(source)
      ? null
      : 'is not a Hugging Face URI; write hf:<user>/<repo>/<file>.gguf or hf:<user>/<repo>:<quant>'
  }
  let url: URL
  try {
    url = new URL(source)
  } catch {
    return 'is neither a URL nor an hf: URI; give an https:// link to a .gguf file or hf:<user>/<repo>/<file>.gguf'
  }
  if (url.protocol !== 'https:') return `uses ${url.protocol.replace(/:$/, '')}; only https:// links are downloaded`
  if (url.username !== '' || url.password !== '') return 'must not carry a user name or password'
  return null
}

/** The file name a source will most likely be saved as, for progress before the download knows. */
function guessFileName(source: string): string | null {
  const last = source.startsWith('hf:') ? source.slice(3).split('/').at(-1) : new URL(source).pathname.split('/').at(-1)
  return last !== undefined && last.toLowerCase().endsWith('.gguf') ? decodeURIComponent(last) : null
}

/**
 * Core's model management as the ports of shared's `createModelsMethods`: which model is loaded
 * (the host's `ModelSlot`), loading one from the models folder by file name, downloads with
 * progress, and the demo model.
 */
export function createModelsPorts(options: ModelsPortsOptions) {
  const downloads = new Map<string, ModelDownloadReport>()
  const fetchModel = options.download ?? downloadModel
  const interval = options.progressIntervalMs ?? 250
  const stallTimeout = options.stallTimeoutMs ?? 60_000

  function folder(): string {
    const current = options.modelsFolder()
    if (current === null) throw new ModelsPortError('unavailable', NO_FOLDER)
    return current
  }

  async function resolveModelFile(fileName: string): Promise<string> {
    const problem = checkModelFileName(fileName)
    if (problem !== null) throw new ModelsPortError('invalid-input', `The model file name "${fileName}" ${problem}.`)
    const base = folder()
    const path = join(base, fileName)
    try {
      await readModelFile(path)
    } catch (error) {
      if (error instanceof ModelFileError) {
        if (error.code === 'not-found') {
          throw new ModelsPortError('not-found', `There is no model "${fileName}" in the models folder (${base}). Download it or copy it there first.`)
        }
        throw new ModelsPortError('invalid-input', `${fileName} cannot be loaded: ${error.message}`)
      }
      throw error
    }
    // A symbolic link the user put in the folder is loaded like a file: listing shows it too.
    return path
  }

  function publish(report: ModelDownloadReport): void {
    options.downloadEvent?.({ ...report })
  }

  function remember(report: ModelDownloadReport): void {
    downloads.set(report.downloadId, report)
    const ended = [...downloads.values()].filter((entry) => entry.state !== 'running')
    for (const old of ended.slice(0, Math.max(0, ended.length - KEPT_DOWNLOADS))) downloads.delete(old.downloadId)
  }

  return {
    /** Turns a port's or the slot's error into a typed one; null: not one it knows. */
    describeError(error: unknown): { code: ModelsPortErrorCode; message: string } | null {
      if (error instanceof ModelsPortError) return { code: error.code, message: error.message }
      if (error instanceof ModelSlotError) {
        return { code: error.code === 'busy' ? 'unavailable' : 'invalid-input', message: error.message }
      }
      return null
    },

    status(): { loaded: LoadedModelStatus | null; downloads: ModelDownloadReport[] } {
      return { loaded: options.slot.status(), downloads: [...downloads.values()].map((report) => ({ ...report })) }
    },

    async load(fileName: string, gpuLayers: number | 'auto' | undefined, contextSize: number | undefined): Promise<LoadedModelStatus> {
      const path = await resolveModelFile(fileName)
      return options.slot.load({
        path,
        ...(gpuLayers === undefined ? {} : { gpuLayers }),
        ...(contextSize === undefined ? {} : { contextSize })
      })
    },

    async unload(): Promise<void> {
      await options.slot.unload()
    },

    /** Starts a download in the background; progress and the end come as `downloadEvent`s. */
    startDownload(source: string): { downloadId: string; fileName: string | null } {
      const problem = checkDownloadSource(source)
      if (problem !== null) throw new ModelsPortError('invalid-input', `The download source "${source}" ${problem}.`)
      const target = folder()
      const report: ModelDownloadReport = {
        downloadId: randomUUID(),
        source,
        fileName: guessFileName(source),
        receivedBytes: 0,
        totalBytes: null,
        state: 'running',
        error: null
      }
      remember(report)
      publish(report)
      let lastSent = 0
      const abort = new AbortController()
      let ended = false
      const end = (state: 'done' | 'failed', error: string | null) => {
        if (ended) return
        ended = true
        clearTimeout(watchdog)
        report.state = state
        report.error = error
        publish(report)
      }
      // node-llama-cpp retries an unreachable server without end, before any signal is looked at:
      // a download that shows no progress for a while is reported failed rather than hanging forever.
      let watchdog = setTimeout(stalled, stallTimeout)
      function stalled(): void {
        abort.abort()
        end('failed', `no data from ${source} for ${Math.round(stallTimeout / 1000)} s; check the link and the network, then try again`)
      }
      void (async () => {
        try {
          await mkdir(target, { recursive: true })
          const result = await fetchModel(source, target, {
            signal: abort.signal,
            onProgress: ({ downloadedBytes, totalBytes }) => {
              if (ended) return
              clearTimeout(watchdog)
              watchdog = setTimeout(stalled, stallTimeout)
              report.receivedBytes = downloadedBytes
              report.totalBytes = totalBytes > 0 ? totalBytes : null
              const now = Date.now()
              if (now - lastSent < interval) return
              lastSent = now
              publish(report)
            }
          })
          if (ended) return
          report.fileName = basename(result.path)
          report.receivedBytes = result.sizeBytes
          report.totalBytes = result.sizeBytes
          end('done', null)
        } catch (error) {
          end('failed', error instanceof Error ? error.message : String(error))
        }
      })()
      return { downloadId: report.downloadId, fileName: report.fileName }
    },

    /** Writes the demo model into the models folder unless it is there. */
    async makeDemo(): Promise<{ fileName: string; created: boolean; notice: string }> {
      const { fileName, created } = await ensureDemoModel(folder())
      return { fileName, created, notice: DEMO_MODEL_NOTICE }
    }
  }
}

export type ModelsPorts = ReturnType<typeof createModelsPorts>
