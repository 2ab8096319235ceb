import { open, stat, type FileHandle } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { GgufFileInfo } from 'node-llama-cpp'
import { checkGgufLayout } from './checkGgufLayout.js'
import { ModelFileError } from './ModelFileError.js'
import { nodeLlamaCpp } from './nodeLlamaCpp.js'

const GGUF_MAGIC = 'GGUF'

export interface ModelFile {
  readonly path: string
  readonly sizeBytes: number
  readonly modifiedMs: number
  readonly info: GgufFileInfo
}

/**
 * Reads a GGUF file's header without loading the model, and rejects files llama.cpp would choke
 * on with a ModelFileError naming the file: missing, a folder, empty, not GGUF (a text file, wrong
 * magic), an unreadable header, or truncated. The truncation check matters because node-llama-cpp's
 * header reader pads a short file instead of failing, so a cut-off download reads as "valid".
 */
export async function readModelFile(path: string): Promise<ModelFile> {
  const absolute = resolve(path)
  const stats = await stat(absolute).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') {
      throw new ModelFileError('not-found', absolute, `model file not found: ${absolute}`, { cause: error })
    }
    throw new ModelFileError('invalid', absolute, `cannot read model file ${absolute}: ${error.message}`, { cause: error })
  })
  if (!stats.isFile()) throw new ModelFileError('invalid', absolute, `${absolute} is not a file`)
  if (stats.size < 4) throw new ModelFileError('invalid', absolute, `${absolute} is not a GGUF model: it is ${stats.size === 0 ? 'empty' : `only ${stats.size} bytes`}`)

  const magic = await readMagic(absolute)
  if (magic !== GGUF_MAGIC) {
    throw new ModelFileError('invalid', absolute, `${absolute} is not a GGUF model: it starts with ${JSON.stringify(magic)} instead of "GGUF"`)
  }

  const layoutProblem = await withHandle(absolute, (handle) => checkGgufLayout(handle, stats.size))
  if (layoutProblem) throw new ModelFileError('invalid', absolute, `${absolute} is truncated or corrupt (${layoutProblem}); download it again`)

  let info: GgufFileInfo
  try {
    const { readGgufFileInfo } = await nodeLlamaCpp()
    info = await readGgufFileInfo(absolute, { logWarnings: false, sourceType: 'filesystem' })
  } catch (error) {
    throw new ModelFileError('invalid', absolute, `${absolute} has an unreadable GGUF header: ${(error as Error).message}`, { cause: error })
  }
  assertNotTruncated(absolute, stats.size, info)
  return { path: absolute, sizeBytes: stats.size, modifiedMs: stats.mtimeMs, info }
}

async function withHandle<T>(path: string, use: (handle: FileHandle) => Promise<T>): Promise<T> {
  const handle = await open(path, 'r')
  try {
    return await use(handle)
  } finally {
    await handle.close()
  }
}

async function readMagic(path: string): Promise<string> {
  const handle = await open(path, 'r')
  try {
    const bytes = Buffer.alloc(4)
    await handle.read(bytes, 0, 4, 0)
    return bytes.toString('latin1')
  } finally {
    await handle.close()
  }
}

function assertNotTruncated(path: string, size: number, info: GgufFileInfo): void {
  const truncated = (detail: string) =>
    new ModelFileError('invalid', path, `${path} is truncated or corrupt (${detail}); download it again`)
  if (info.infoEndOffset !== undefined && info.infoEndOffset > size) {
    throw truncated(`its header needs ${info.infoEndOffset} bytes, the file has ${size}`)
  }
  // Only tensors stored in this file (part 1 of a split model); their data starts at fileOffset.
  const ownTensors = (info.tensorInfo ?? []).filter((tensor) => (tensor.filePart ?? 1) === 1)
  const lastStart = ownTensors.reduce((max, tensor) => Math.max(max, Number(tensor.fileOffset)), 0)
  if (ownTensors.length > 0 && lastStart >= size) {
    throw truncated(`tensor data starts at byte ${lastStart}, the file has ${size}`)
  }
}
