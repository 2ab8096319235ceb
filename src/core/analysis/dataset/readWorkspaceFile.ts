import { readFileSync } from 'node:fs'

/**
 * Reads one of a workspace's many small files (a discussion, a journal). Synchronously, on
 * purpose: `fs.promises.readFile` costs four thread-pool round trips per file (open, stat, read,
 * close), which for 20,000 files of a few KB took longer than parsing them; a synchronous read
 * blocks for microseconds each. Undefined when the file does not exist.
 */
export function readWorkspaceFile(path: string): string | undefined {
  return readOrUndefined(() => readFileSync(path, 'utf8'))
}

/** `readWorkspaceFile`'s bytes, undecoded. */
export function readWorkspaceBytes(path: string): Buffer | undefined {
  return readOrUndefined(() => readFileSync(path))
}

function readOrUndefined<T>(read: () => T): T | undefined {
  try {
    return read()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
