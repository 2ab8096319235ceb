import { createWriteStream, type WriteStream } from 'node:fs'

const CHUNK_CHARACTERS = 1 << 18

/**
 * A text file written in large chunks with back-pressure: lines are gathered into ~256 KB strings
 * before they reach the stream, and a full stream makes the writer wait instead of buffering the
 * whole export in memory.
 */
export class StreamedTextFile {
  private readonly stream: WriteStream
  private pending: string[] = []
  private pendingLength = 0
  private failure: Error | undefined

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })
    this.stream.on('error', (error) => {
      this.failure = error
    })
  }

  write(text: string): Promise<void> | undefined {
    if (this.failure) throw this.failure
    this.pending.push(text)
    this.pendingLength += text.length
    if (this.pendingLength < CHUNK_CHARACTERS) return undefined
    return this.flush()
  }

  private flush(): Promise<void> | undefined {
    if (this.pending.length === 0) return undefined
    const chunk = this.pending.join('')
    this.pending = []
    this.pendingLength = 0
    if (this.stream.write(chunk)) return undefined
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

  async close(): Promise<void> {
    await this.flush()
    await new Promise<void>((resolve, reject) => {
      if (this.failure) return reject(this.failure)
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve()))
    })
  }
}
