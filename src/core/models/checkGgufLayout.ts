import type { FileHandle } from 'node:fs/promises'

/**
 * Walks a GGUF (v2/v3) header and checks that every declared length fits in the file, without
 * reading the values. node-llama-cpp's header reader trusts those lengths: a corrupt or crafted
 * file that declares a string or array of gigabytes makes it allocate that much and then pass a
 * length over 2^31 to `read`, which aborts the whole Node process (a native assertion, not an
 * exception) — found by test/unit/fuzz/parsers.property.test.ts. So readModelFile calls this first.
 *
 * Answers what is wrong ("its header needs N bytes, the file has M", where a length field that
 * cannot fit makes N at least that length), or null when the layout is plausible. A version other
 * than 2 or 3 is refused too: node-llama-cpp reads such a header anyway, trusting its lengths (a
 * version byte flipped by the fuzz test, with a 1.7 GB key length, took it 12 s and gigabytes of
 * memory to fail on, and sometimes killed the process); llama.cpp reads no other version either.
 */
export async function checkGgufLayout(handle: FileHandle, size: number): Promise<string | null> {
  const cursor = new BoundedCursor(handle, size)
  try {
    await cursor.skip(4) // magic, already checked
    const version = await cursor.u32()
    if (version !== 2 && version !== 3) return `its GGUF version is ${version}; llama.cpp reads versions 2 and 3`
    const tensorCount = await cursor.count(8 + 4 + 4 + 8)
    const kvCount = await cursor.count(8 + 4)
    for (let kv = 0; kv < kvCount; kv++) {
      await cursor.string()
      await value(cursor, await cursor.u32(), `metadata value ${kv}`, 0)
    }
    for (let tensor = 0; tensor < tensorCount; tensor++) {
      await cursor.string()
      const dims = await cursor.u32()
      if (dims > 16) return `its tensor ${tensor} declares ${dims} dimensions`
      await cursor.skip(dims * 8 + 4 + 8)
    }
    return null
  } catch (error) {
    if (error instanceof LayoutProblem) return error.message
    throw error
  }
}

class LayoutProblem extends Error {}

/** Fixed sizes of GGUF scalar value types, by type id. */
const SCALAR_BYTES: Readonly<Record<number, number>> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 }
const STRING = 8
const ARRAY = 9

async function value(cursor: BoundedCursor, type: number, what: string, depth: number): Promise<void> {
  const scalar = SCALAR_BYTES[type]
  if (scalar !== undefined) return cursor.skip(scalar)
  if (type === STRING) return cursor.string()
  if (type !== ARRAY) throw new LayoutProblem(`its ${what} has an unknown type ${type}`)
  if (depth > 4) throw new LayoutProblem(`its ${what} nests arrays too deeply`)
  const elementType = await cursor.u32()
  const elementBytes = SCALAR_BYTES[elementType]
  const count = await cursor.count(elementBytes ?? 8)
  if (elementBytes !== undefined) return cursor.skip(count * elementBytes)
  for (let index = 0; index < count; index++) await value(cursor, elementType, what, depth + 1)
}

/** Reads forward through the file in 1 MiB windows; every length is checked against what is left. */
class BoundedCursor {
  private position = 0
  private window = Buffer.alloc(0)
  private windowStart = 0

  constructor(
    private readonly handle: FileHandle,
    private readonly size: number
  ) {}

  async skip(bytes: number): Promise<void> {
    this.ensureFits(bytes)
    this.position += bytes
  }

  async u32(): Promise<number> {
    const bytes = await this.read(4)
    return bytes.readUInt32LE(0)
  }

  /** A u64 count (or length) of items that take at least `minItemBytes` each: it must fit in the rest of the file. */
  async count(minItemBytes: number): Promise<number> {
    const raw = (await this.read(8)).readBigUInt64LE(0)
    const left = this.size - this.position
    const needed = raw * BigInt(Math.max(1, minItemBytes))
    if (needed > BigInt(left)) throw this.pastEnd(needed)
    return Number(raw)
  }

  async string(): Promise<void> {
    const length = await this.count(1)
    await this.skip(length)
  }

  private ensureFits(bytes: number): void {
    if (this.position + bytes > this.size) throw this.pastEnd(BigInt(bytes))
  }

  /** The message readModelFile has always used for a short file, so both checks read the same. */
  private pastEnd(bytes: bigint): LayoutProblem {
    return new LayoutProblem(`its header needs ${BigInt(this.position) + bytes} bytes, the file has ${this.size}`)
  }

  private async read(bytes: number): Promise<Buffer> {
    this.ensureFits(bytes)
    const offset = this.position - this.windowStart
    if (offset < 0 || offset + bytes > this.window.length) {
      const length = Math.min(Math.max(bytes, 1024 * 1024), this.size - this.position)
      const window = Buffer.alloc(length)
      await this.handle.read(window, 0, length, this.position)
      this.window = window
      this.windowStart = this.position
    }
    const start = this.position - this.windowStart
    this.position += bytes
    return this.window.subarray(start, start + bytes)
  }
}
