/** Where a table writer's encoders put text: a file (StreamedTextFile) or memory (MemoryTextSink). */
export interface TextSink {
  write(text: string): void
  /** Bytes already encoded: copied, not encoded again. */
  writeBytes(bytes: Uint8Array): void
  /** One ASCII character (a separator or line end). */
  writeAscii(code: number): void
  /** Bytes written so far (a MemoryTextSink: since its last `take()`). */
  readonly size: number
}

export const CHUNK_BYTES = 1 << 20
/** Spare chunks a pool keeps; more handed back are left to the garbage collector. */
const SPARE_CHUNKS = 64

/**
 * Chunks for MemoryTextSinks, reused once the thread that wrote them to a file hands their
 * buffers back: fresh memory is faulted in page by page, which costs more than encoding into it.
 */
export class ChunkPool {
  private readonly spare: Buffer[] = []

  get(): Buffer {
    // Not `allocUnsafe`: its small buffers share one pooled ArrayBuffer, which must not be transferred.
    return this.spare.pop() ?? Buffer.allocUnsafeSlow(CHUNK_BYTES)
  }

  give(buffers: readonly ArrayBuffer[]): void {
    for (const buffer of buffers) {
      if (buffer.byteLength === CHUNK_BYTES && this.spare.length < SPARE_CHUNKS) this.spare.push(Buffer.from(buffer))
    }
  }
}

/**
 * UTF-8 text encoded into 1 MB chunks in memory, for an export worker thread to hand its rows'
 * bytes to the thread that writes the file. Every chunk owns its ArrayBuffer (never Node's shared
 * pool), so `take()`'s chunks can be transferred with postMessage instead of copied.
 */
export class MemoryTextSink implements TextSink {
  // Taken from the pool at the first write, not before: a sink whose rows were just taken may
  // never be written to again (an export worker's last batch), and must not hold a chunk then.
  private chunk: Buffer | undefined
  private offset = 0
  private chunks: Uint8Array[] = []
  private bytes = 0

  constructor(private readonly pool: ChunkPool = new ChunkPool()) {}

  write(text: string): void {
    // A UTF-16 code unit never takes more than 3 UTF-8 bytes.
    if (text.length * 3 > this.room()) {
      this.flush()
      if (text.length * 3 > CHUNK_BYTES) {
        this.push(new Uint8Array(Buffer.from(text, 'utf8')))
        return
      }
    }
    const chunk = (this.chunk ??= this.pool.get())
    this.offset += chunk.write(text, this.offset, 'utf8')
  }

  writeBytes(bytes: Uint8Array): void {
    if (bytes.length > this.room()) {
      this.flush()
      if (bytes.length > CHUNK_BYTES) {
        this.push(new Uint8Array(bytes))
        return
      }
    }
    const chunk = (this.chunk ??= this.pool.get())
    chunk.set(bytes, this.offset)
    this.offset += bytes.length
  }

  writeAscii(code: number): void {
    if (this.room() < 1) this.flush()
    const chunk = (this.chunk ??= this.pool.get())
    chunk[this.offset++] = code
  }

  /** Bytes written since the last `take()`. */
  get size(): number {
    return this.bytes + this.offset
  }

  /**
   * The bytes written since the last call, in order, each chunk on an ArrayBuffer of its own (see
   * `transferList`): once taken, the chunks belong to the caller.
   */
  take(): Uint8Array[] {
    this.flush()
    const chunks = this.chunks
    this.chunks = []
    this.bytes = 0
    return chunks
  }

  /** Bytes left in the current chunk (a whole chunk's worth before the first write). */
  private room(): number {
    return this.chunk === undefined ? CHUNK_BYTES : this.chunk.length - this.offset
  }

  private flush(): void {
    if (this.chunk === undefined || this.offset === 0) return
    this.push(this.chunk.subarray(0, this.offset))
    this.chunk = undefined
    this.offset = 0
  }

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes)
    this.bytes += bytes.length
  }
}

/** The ArrayBuffers under chunks that `MemoryTextSink.take()` returned, for postMessage's transfer list. */
export function transferList(chunks: readonly Uint8Array[]): ArrayBuffer[] {
  return chunks.map((chunk) => chunk.buffer as ArrayBuffer)
}

