import { createWriteStream, type WriteStream } from 'node:fs'
import type { TextSink } from './memoryTextSink.js'

const BUFFER_BYTES = 1 << 20
/** The stream holds up to 4 MB (its high-water mark) plus the chunk that overflows it. */
const SPARE_BUFFERS = 6
/** Handed-over chunks shorter than this are copied into the buffer rather than written alone. */
const OWNED_COPY_BELOW = 256 * 1024

/**
 * A UTF-8 text file written through a 1 MB buffer: text is encoded straight into the buffer (no
 * joined strings to flatten and collect), full buffers go to the file stream, and `ready()` makes
 * the writer wait while the stream is behind, so memory stays flat however much is written.
 */
export class StreamedTextFile implements TextSink {
  private readonly stream: WriteStream
  private buffer: Buffer = Buffer.allocUnsafe(BUFFER_BYTES)
  private offset = 0
  /** Bytes handed to the stream so far. */
  private sent = 0
  /** Buffers the stream has written out, ready for reuse. */
  private readonly spare: Buffer[] = []
  private failure: Error | undefined

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { highWaterMark: 4 * BUFFER_BYTES })
    this.stream.on('error', (error) => {
      this.failure = error
    })
  }

  write(text: string): void {
    if (this.failure) throw this.failure
    // A UTF-16 code unit never takes more than 3 UTF-8 bytes.
    if (text.length * 3 > this.buffer.length - this.offset) {
      this.flush()
      if (text.length * 3 > this.buffer.length) {
        const bytes = Buffer.from(text, 'utf8')
        this.sent += bytes.length
        this.stream.write(bytes)
        return
      }
    }
    this.offset += this.buffer.write(text, this.offset, 'utf8')
  }

  /** Bytes already encoded (a cached run of cells, or a worker's rows): copied, not encoded again. */
  writeBytes(bytes: Uint8Array): void {
    if (this.failure) throw this.failure
    let from = 0
    while (bytes.length - from > this.buffer.length - this.offset) {
      // Fill the buffer, send it, go on with the rest (a worker's 1 MB chunks rarely fit whole).
      const room = this.buffer.length - this.offset
      // TypedArray#set is a plain memcpy; Buffer#copy costs ~1 µs of bookkeeping per call in Node 20.
      this.buffer.set(bytes.subarray(from, from + room), this.offset)
      this.offset += room
      from += room
      this.flush()
    }
    this.buffer.set(from === 0 ? bytes : bytes.subarray(from), this.offset)
    this.offset += bytes.length - from
  }

  /**
   * Bytes the caller hands over (an export worker's chunk): written as they are, without a copy;
   * `written` is called once the stream is done with them and they may be reused.
   */
  writeOwned(bytes: Uint8Array, written: () => void): void {
    if (this.failure) throw this.failure
    if (bytes.length < OWNED_COPY_BELOW) {
      this.writeBytes(bytes)
      written()
      return
    }
    this.flush()
    this.sent += bytes.length
    this.stream.write(bytes, () => written())
  }

  /** One ASCII character (a separator or line end), without the cost of encoding a string. */
  writeAscii(code: number): void {
    if (this.failure) throw this.failure
    if (this.offset >= this.buffer.length) this.flush()
    this.buffer[this.offset++] = code
  }

  /** Bytes written so far, whether still buffered or already sent to the file. */
  get size(): number {
    return this.sent + this.offset
  }

  /** A promise to wait on while the stream is behind; undefined when writing may go on. */
  ready(): Promise<void> | undefined {
    if (this.failure) throw this.failure
    if (!this.stream.writableNeedDrain) return undefined
    return new Promise((resolve, reject) => {
      const onDrain = (): void => {
        this.stream.off('error', onError)
        resolve()
      }
      const onError = (error: Error): void => {
        this.stream.off('drain', onDrain)
        reject(error)
      }
      this.stream.once('drain', onDrain)
      this.stream.once('error', onError)
    })
  }

  private flush(): void {
    if (this.offset === 0) return
    // The stream keeps the chunk until it is written, so the next one needs another buffer: one
    // the stream has finished with when there is one. Reusing them matters: a fresh 1 MB buffer
    // is fresh memory from the OS, and faulting in a gigabyte of it page by page cost more than
    // encoding the text.
    const full = this.buffer
    this.sent += this.offset
    this.stream.write(full.subarray(0, this.offset), () => {
      if (this.spare.length < SPARE_BUFFERS) this.spare.push(full)
    })
    this.buffer = this.spare.pop() ?? Buffer.allocUnsafe(BUFFER_BYTES)
    this.offset = 0
  }

  /** Ends the file; closing it again does nothing. */
  async close(): Promise<void> {
    if (this.stream.writableEnded) return
    this.flush()
    await new Promise<void>((resolve, reject) => {
      if (this.failure) return reject(this.failure)
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve()))
    })
  }
}
