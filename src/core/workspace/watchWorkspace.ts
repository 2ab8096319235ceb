import { watch } from 'node:fs'
import { sep } from 'node:path'
import { isAtomicTempFile } from './atomicFile.js'

export interface WorkspaceChange {
  /** Top-level folder that changed: "personas", "discussions", "annotations", … */
  folder: string
  /** Path relative to the workspace root, with "/" separators. */
  file: string
}

/**
 * Calls `onChange` (batched, at most every `delayMs`) when files in the workspace change, whoever
 * changed them: this process, another SDF Studio window, the CLI, or a text editor. Returns a
 * function that stops watching.
 */
export function watchWorkspace(
  root: string,
  onChange: (changes: WorkspaceChange[]) => void,
  delayMs = 50
): () => void {
  let pending = new Map<string, WorkspaceChange>()
  let timer: NodeJS.Timeout | undefined
  const watcher = watch(root, { recursive: true }, (_event, name) => {
    if (!name) return
    const file = name.split(sep).join('/')
    const base = file.slice(file.lastIndexOf('/') + 1)
    if (base.startsWith('.') || isAtomicTempFile(base)) return
    pending.set(file, { folder: file.split('/')[0] ?? file, file })
    timer ??= setTimeout(() => {
      timer = undefined
      const batch = [...pending.values()]
      pending = new Map()
      onChange(batch)
    }, delayMs)
  })
  // A watcher error (e.g. the folder was removed) must not crash the host process.
  watcher.on('error', () => undefined)
  return () => {
    if (timer) clearTimeout(timer)
    watcher.close()
  }
}
