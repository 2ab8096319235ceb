import { rm, stat } from 'node:fs/promises'
import type { ModelDownloader } from 'node-llama-cpp'
import { ModelFileError } from './ModelFileError.js'
import { nodeLlamaCpp } from './nodeLlamaCpp.js'
import { readModelFile } from './readModelFile.js'
import { sha256OfModel } from './sha256OfModel.js'

export type ModelDownloadErrorCode = 'network' | 'aborted' | 'checksum-mismatch' | 'invalid-model'

export class ModelDownloadError extends Error {
  override readonly name = 'ModelDownloadError'
  constructor(
    readonly code: ModelDownloadErrorCode,
    message: string,
    options?: { cause?: unknown }
  ) {
    super(message, options)
  }
}

export interface DownloadProgress {
  readonly downloadedBytes: number
  readonly totalBytes: number
}

export interface DownloadModelOptions {
  readonly onProgress?: (progress: DownloadProgress) => void
  readonly signal?: AbortSignal
  /** Expected SHA-256 (hex); a mismatch deletes the download and throws 'checksum-mismatch'. */
  readonly sha256?: string
  /** Overrides the file name taken from the URL. */
  readonly fileName?: string
  readonly headers?: Record<string, string>
  /** Hugging Face token for gated models. */
  readonly huggingFaceToken?: string
}

export interface DownloadedModel {
  readonly path: string
  readonly sizeBytes: number
  readonly sha256: string
}

/**
 * Downloads a GGUF model into `folder` with node-llama-cpp's downloader (ipull): an `https://` URL
 * or a Hugging Face URI (`hf:user/repo:Q4_K_M`, `hf:user/repo/file.gguf`). An aborted download
 * leaves `<name>.ipull` behind and the next call for the same file resumes it with range requests.
 * A file that is already complete (same size) is not fetched again but is still verified. The
 * result is checked as GGUF and hashed (the hash is cached, see sha256OfModel).
 */
export async function downloadModel(uri: string, folder: string, options: DownloadModelOptions = {}): Promise<DownloadedModel> {
  const { signal } = options
  if (signal?.aborted) throw aborted(uri)
  const { createModelDownloader } = await nodeLlamaCpp()
  let downloader: ModelDownloader
  try {
    downloader = await createModelDownloader({
      modelUri: uri,
      dirPath: folder,
      fileName: options.fileName,
      headers: options.headers,
      tokens: options.huggingFaceToken ? { huggingFace: options.huggingFaceToken } : undefined,
      showCliProgress: false,
      skipExisting: true,
      // Keep the partial file so a later call resumes instead of starting over.
      deleteTempFileOnCancel: false,
      onProgress: options.onProgress
        ? ({ downloadedSize, totalSize }) => options.onProgress?.({ downloadedBytes: downloadedSize, totalBytes: totalSize })
        : undefined
    })
  } catch (error) {
    throw new ModelDownloadError('network', `cannot start the download of ${uri}: ${(error as Error).message}`, { cause: error })
  }

  const target = downloader.entrypointFilePath
  const existedBefore = await exists(target)
  let path: string
  try {
    const download = downloader.download({ signal })
    path = signal ? await Promise.race([download, settleAfterAbort(signal, download)]) : await download
  } catch (error) {
    if (signal?.aborted) throw aborted(uri)
    throw new ModelDownloadError('network', `the download of ${uri} failed: ${(error as Error).message}`, { cause: error })
  }
  // ipull's download() resolves, rather than rejects, when it is cancelled midway.
  if (signal?.aborted || path === '' || !(await exists(path))) throw aborted(uri)

  const sha256 = await sha256OfModel(path, { signal }).catch((error: unknown) => {
    throw signal?.aborted ? aborted(uri) : error
  })
  if (options.sha256 !== undefined && sha256 !== options.sha256.toLowerCase()) {
    // A file that was there before this call is the user's; only our own download is removed.
    if (!existedBefore) await rm(path, { force: true })
    throw new ModelDownloadError(
      'checksum-mismatch',
      `the SHA-256 of ${path} is ${sha256}, expected ${options.sha256.toLowerCase()}${existedBefore ? ' (the file was already there and was kept)' : '; the download was deleted'}`
    )
  }
  try {
    const file = await readModelFile(path)
    return { path: file.path, sizeBytes: file.sizeBytes, sha256 }
  } catch (error) {
    if (error instanceof ModelFileError) throw new ModelDownloadError('invalid-model', `${uri} is not a usable model: ${error.message}`, { cause: error })
    throw error
  }
}

/** Seconds an aborted ipull download gets to wind down before we stop waiting for it. */
const ABORT_GRACE_MS = 5_000

/**
 * Resolves with '' once `signal` aborts and `download` has not settled within the grace period:
 * ipull's cancellation waits on its open connections, which a stalled server may never close.
 */
function settleAfterAbort(signal: AbortSignal, download: Promise<string>): Promise<string> {
  return new Promise((resolve) => {
    const giveUp = () => {
      const timer = setTimeout(() => resolve(''), ABORT_GRACE_MS)
      void download.finally(() => clearTimeout(timer)).catch(() => undefined)
    }
    if (signal.aborted) giveUp()
    else signal.addEventListener('abort', giveUp, { once: true })
    void download.finally(() => signal.removeEventListener('abort', giveUp)).catch(() => undefined)
  })
}

function aborted(uri: string): ModelDownloadError {
  return new ModelDownloadError('aborted', `the download of ${uri} was aborted; calling downloadModel again resumes it`)
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    (stats) => stats.isFile(),
    () => false
  )
}
