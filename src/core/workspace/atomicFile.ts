import { open, type FileHandle } from 'node:fs/promises'
import writeFileAtomic from 'write-file-atomic'

/**
 * Replaces a file in one step (temp file, fsync, rename): a crash leaves either the old file or
 * the new one, never a torn mix.
 */
export async function writeFileAtomically(path: string, data: string | Uint8Array): Promise<void> {
  await writeFileAtomic(path, typeof data === 'string' ? data : Buffer.from(data), { fsync: true })
}

/** Pretty JSON with a final newline, so files diff well and open cleanly in any editor. */
export async function writeJsonAtomically(path: string, value: unknown): Promise<void> {
  await writeFileAtomically(path, `${JSON.stringify(value, null, 2)}\n`)
}

/**
 * Appends whole lines and fsyncs before returning: once this resolves, the lines survive a crash.
 * Callers pass complete records only; a torn last line can still appear after a power cut, and
 * readers recover up to the last complete line.
 */
export async function appendLinesDurably(path: string, lines: readonly string[]): Promise<void> {
  if (lines.length === 0) return
  const handle = await open(path, 'a+')
  try {
    // A torn last line from an earlier crash must not swallow the first new record.
    const prefix = (await endsWithNewline(handle)) ? '' : '\n'
    await handle.write(prefix + lines.map((line) => `${line}\n`).join(''))
    await handle.datasync()
  } finally {
    await handle.close()
  }
}

async function endsWithNewline(handle: FileHandle): Promise<boolean> {
  const { size } = await handle.stat()
  if (size === 0) return true
  const last = Buffer.alloc(1)
  await handle.read(last, 0, 1, size - 1)
  return last[0] === 0x0a
}

/** Names write-file-atomic gives its temp files: `<name>.<hex hash>`. */
export function isAtomicTempFile(name: string): boolean {
  return /\.(json|jsonl)\.[0-9a-f]{6,}$/.test(name)
}
