import { readdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Llama } from 'node-llama-cpp'
import { describeModelFile, type ModelMetadata } from './describeModelFile.js'
import { fitModel, type ModelFit } from './modelFit.js'
import { ModelFileError, type ModelFileErrorCode } from './ModelFileError.js'
import { readModelFile } from './readModelFile.js'

export interface ModelListing {
  readonly path: string
  readonly fileName: string
  readonly sizeBytes: number | null
  readonly modifiedMs: number | null
  /** Null when the file could not be read; `error` says why. */
  readonly metadata: ModelMetadata | null
  /** Only when a Llama was passed in: how the model would load on this machine. */
  readonly fit: ModelFit | null
  readonly error: { readonly code: ModelFileErrorCode; readonly message: string } | null
}

export interface ListModelsOptions {
  /** Pass the app's Llama to also get fit information (GPU layers, VRAM). */
  readonly llama?: Llama
  /** The context size to plan the fit for; defaults to node-llama-cpp's choice. */
  readonly targetContextSize?: number
}

const SPLIT_PART = /-(\d{5})-of-(\d{5})\.gguf$/i

/**
 * The GGUF models in `folder` (not its subfolders), by file name, with their header metadata read
 * without loading them. A broken file is listed with its error rather than failing the list; for
 * a split model only the first part is listed.
 */
export async function listModels(folder: string, options: ListModelsOptions = {}): Promise<ModelListing[]> {
  const absolute = resolve(folder)
  const entries = await readdir(absolute, { withFileTypes: true })
  const files = entries
    .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && isListedModelName(entry.name))
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b))
  const listings: ModelListing[] = []
  // One at a time: each header read can hold a 128k-token vocabulary in memory.
  for (const fileName of files) listings.push(await listModel(join(absolute, fileName), fileName, options))
  return listings
}

function isListedModelName(name: string): boolean {
  if (name.startsWith('.') || !name.toLowerCase().endsWith('.gguf')) return false
  const split = SPLIT_PART.exec(name)
  return !split || Number(split[1]) === 1
}

async function listModel(path: string, fileName: string, options: ListModelsOptions): Promise<ModelListing> {
  try {
    const file = await readModelFile(path)
    const metadata = await describeModelFile(file, options.llama)
    const fit = options.llama ? await fitModel(file, options.llama, { targetContextSize: options.targetContextSize }) : null
    return { path: file.path, fileName, sizeBytes: file.sizeBytes, modifiedMs: file.modifiedMs, metadata, fit, error: null }
  } catch (error) {
    const failure =
      error instanceof ModelFileError
        ? { code: error.code, message: error.message }
        : { code: 'invalid' as const, message: `${path}: ${(error as Error).message}` }
    return { path, fileName, sizeBytes: null, modifiedMs: null, metadata: null, fit: null, error: failure }
  }
}
