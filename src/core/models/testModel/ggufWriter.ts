import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'
import { ggmlTypeLayout } from './ggmlType.js'
import { GGUF_DEFAULT_ALIGNMENT, layoutGguf, type GgufTensorInfo } from './ggufHeader.js'
import type { GgufMetadata } from './ggufValue.js'
import type { TensorFill } from './tensorFill.js'

export interface GgufTensorSource extends GgufTensorInfo {
  readonly fill: TensorFill
}

export interface WriteGgufOptions {
  readonly metadata: GgufMetadata
  readonly tensors: readonly GgufTensorSource[]
  readonly alignment?: number
  /** Called after each chunk reaches the file; throwing from it aborts the write. */
  readonly onProgress?: (bytesWritten: number, totalBytes: number) => void
  readonly signal?: AbortSignal
}

export interface WriteGgufResult {
  readonly path: string
  readonly bytes: number
}

/** Big enough to amortise syscalls, small enough that an 8B model never sits in memory. */
const CHUNK_TARGET_BYTES = 4 * 1024 * 1024

/**
 * Streams a GGUF file to `path` atomically: it is written to `<path>.tmp-<pid>` and renamed into
 * place, so readers never see a half-written model, and the temp file is removed on any failure.
 * Tensor data is produced chunk by chunk while the previous chunk is being written.
 */
export async function writeGgufFile(path: string, options: WriteGgufOptions): Promise<WriteGgufResult> {
  const { metadata, tensors, alignment = GGUF_DEFAULT_ALIGNMENT, onProgress, signal } = options
  signal?.throwIfAborted()
  const layout = layoutGguf(metadata, tensors, alignment)
  const tempPath = `${path}.tmp-${process.pid}`
  await mkdir(dirname(path), { recursive: true })
  const handle = await open(tempPath, 'w')
  const sink = new ChunkSink(handle, layout.totalBytes, onProgress)
  let closed = false
  try {
    await sink.write(layout.header)
    const buffers = [new Uint8Array(CHUNK_TARGET_BYTES), new Uint8Array(CHUNK_TARGET_BYTES)]
    let next = 0
    for (const [index, tensor] of tensors.entries()) {
      await sink.padTo(layout.tensorOffsets[index] ?? 0)
      const { blockBytes } = ggmlTypeLayout(tensor.type)
      // Whole blocks and whole 4-byte words per chunk keep the output independent of chunking.
      const chunkBytes = Math.floor(CHUNK_TARGET_BYTES / (blockBytes * 4)) * blockBytes * 4
      let remaining = layout.tensorBytes[index] ?? 0
      while (remaining > 0) {
        signal?.throwIfAborted()
        const length = Math.min(chunkBytes, remaining)
        // Only the other buffer can still be in flight: the previous queue() awaited this one.
        const chunk = (buffers[next] as Uint8Array).subarray(0, length)
        tensor.fill(chunk)
        await sink.queue(chunk)
        next ^= 1
        remaining -= length
      }
    }
    await sink.padTo(layout.totalBytes)
    await sink.flush()
    closed = true
    await handle.close()
    signal?.throwIfAborted()
    await rename(tempPath, path)
    return { path, bytes: layout.totalBytes }
  } catch (error) {
    if (!closed) {
      await sink.flush().catch(() => undefined)
      await handle.close().catch(() => undefined)
    }
    await rm(tempPath, { force: true })
    throw error
  }
}

/** Positional writes with at most one in flight, so generating the next chunk overlaps disk I/O. */
class ChunkSink {
  private position = 0
  private inFlight: Promise<void> = Promise.resolve()

  constructor(
    private readonly handle: FileHandle,
    private readonly totalBytes: number,
    private readonly onProgress: WriteGgufOptions['onProgress']
  ) {}

  /** Waits for the previous write, then starts this one without waiting for it. */
  async queue(bytes: Uint8Array): Promise<void> {
    await this.inFlight
    const position = this.position
    this.position += bytes.byteLength
    this.inFlight = this.writeAt(bytes, position)
    // A rejection surfaces at the next queue/flush; this keeps it from being reported as unhandled.
    this.inFlight.catch(() => undefined)
  }

  async write(bytes: Uint8Array): Promise<void> {
    await this.queue(bytes)
    await this.flush()
  }

  async padTo(offset: number): Promise<void> {
    await this.flush()
    if (offset > this.position) await this.write(new Uint8Array(offset - this.position))
  }

  flush(): Promise<void> {
    return this.inFlight
  }

  private async writeAt(bytes: Uint8Array, position: number): Promise<void> {
    let done = 0
    while (done < bytes.byteLength) {
      const { bytesWritten } = await this.handle.write(bytes, done, bytes.byteLength - done, position + done)
      done += bytesWritten
    }
    this.onProgress?.(position + bytes.byteLength, this.totalBytes)
  }
}
