/** A growable little-endian byte buffer; GGUF headers are a few MB at most, so memory is fine. */
export class ByteWriter {
  private buffer: Uint8Array
  private view: DataView
  private length = 0
  private static readonly encoder = new TextEncoder()

  constructor(initialCapacity = 64 * 1024) {
    this.buffer = new Uint8Array(initialCapacity)
    this.view = new DataView(this.buffer.buffer)
  }

  get byteLength(): number {
    return this.length
  }

  /** A copy-free view of what has been written so far. */
  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length)
  }

  u8(value: number): void {
    this.reserve(1).setUint8(this.length - 1, value)
  }
  i8(value: number): void {
    this.reserve(1).setInt8(this.length - 1, value)
  }
  u16(value: number): void {
    this.reserve(2).setUint16(this.length - 2, value, true)
  }
  i16(value: number): void {
    this.reserve(2).setInt16(this.length - 2, value, true)
  }
  u32(value: number): void {
    this.reserve(4).setUint32(this.length - 4, value, true)
  }
  i32(value: number): void {
    this.reserve(4).setInt32(this.length - 4, value, true)
  }
  f32(value: number): void {
    this.reserve(4).setFloat32(this.length - 4, value, true)
  }
  f64(value: number): void {
    this.reserve(8).setFloat64(this.length - 8, value, true)
  }
  u64(value: bigint | number): void {
    this.reserve(8).setBigUint64(this.length - 8, BigInt(value), true)
  }
  i64(value: bigint | number): void {
    this.reserve(8).setBigInt64(this.length - 8, BigInt(value), true)
  }

  /** GGUF string: u64 byte length, then UTF-8 without a terminator. */
  string(value: string): void {
    const encoded = ByteWriter.encoder.encode(value)
    this.u64(encoded.byteLength)
    this.reserve(encoded.byteLength)
    this.buffer.set(encoded, this.length - encoded.byteLength)
  }

  zeros(count: number): void {
    // Fresh capacity is zero-filled and nothing is ever rewritten, so reserving is enough.
    this.reserve(count)
  }

  /** Advances the length by `count` and returns the view to write the new bytes through. */
  private reserve(count: number): DataView {
    const needed = this.length + count
    if (needed > this.buffer.byteLength) {
      let capacity = this.buffer.byteLength * 2
      while (capacity < needed) capacity *= 2
      const grown = new Uint8Array(capacity)
      grown.set(this.buffer.subarray(0, this.length))
      this.buffer = grown
      this.view = new DataView(grown.buffer)
    }
    this.length = needed
    return this.view
  }
}
