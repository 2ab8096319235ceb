import { createWriteStream, type WriteStream } from 'node:fs'

const BUFFER_BYTES = 1 << 20

/**
 * A UTF-8 text file written through a 1 MB buffer: text is encoded straight into the buffer (no
 * joined strings to flatten and collect), full buffers go to the file stream, and `ready()` makes
 * the writer wait while the stream is behind, so memory stays flat however much is written.
 */
export class StreamedTextFile {
  private readonly stream: WriteStream
  private buffer = Buffer.allocUnsafe(BUFFER_BYTES)
  private offset = 0
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
        this.stream.write(Buffer.from(text, 'utf8'))
        return
      }
    }
    this.offset += this.buffer.write(text, this.offset, 'utf8')
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
    // The stream keeps the chunk until it is written, so the next one needs a fresh buffer.
    this.stream.write(this.buffer.subarray(0, this.offset))
    this.buffer = Buffer.allocUnsafe(BUFFER_BYTES)
    this.offset = 0
  }

  async close(): Promise<void> {
    this.flush()
    await new Promise<void>((resolve, reject) => {
      if (this.failure) return reject(this.failure)
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve()))
    })
  }
}
