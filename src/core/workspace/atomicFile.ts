import { randomBytes } from 'node:crypto'
import { open, rename, unlink, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'

/**
 * Replaces a file in one step (temp file, fsync, rename): a crash leaves either the old file or
 * the new one, never a torn mix.
 */
export async function writeFileAtomically(path: string, data: string | Uint8Array): Promise<void> {
  // Not write-file-atomic: it makes one write(2) call and ignores a short count, and a disk that
  // fills returns a short count before ENOSPC, so it renamed a truncated file into place (found by
  // test/faults/diskFull.test.ts). FileHandle.writeFile loops until every byte is written or throws.
  const temp = `${path}.${randomBytes(6).toString('hex')}`
  const handle = await open(temp, 'wx')
  try {
    try {
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, path)
  } catch (error) {
    await unlink(temp).catch(() => undefined)
    throw error
  }
  await syncFolder(dirname(path))
}

/** A rename is durable only once its folder's entry is on disk. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r').catch(() => null)
  if (handle === null) return
  try {
    await handle.sync()
  } catch {
    // Some file systems refuse fsync on a folder; the rename itself has happened.
  } finally {
    await handle.close()
  }
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
    // writeFile, not write: write may stop short on a filling disk and still report success.
    await handle.writeFile(prefix + lines.map((line) => `${line}\n`).join(''))
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
