import { lstat, readdir, realpath, stat } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'

export interface ImportProblem {
  file: string
  message: string
}

export interface FoundFiles {
  files: string[]
  problems: ImportProblem[]
  /** Documentation met while walking folders (README.md, LICENSE…): not data, passed over. */
  skipped: string[]
}

/** Files that sit beside data in research repositories but are never data themselves. */
export function isDocumentationFile(name: string): boolean {
  return /\.(md|markdown|rst)$/i.test(name) || /^(readme|license|licence|copying)(\.|$)/i.test(name)
}

/**
 * Expands the paths a user chose into the files to import: folders recursively (sorted, so imports
 * are repeatable), symbolic links followed once, loops and broken links reported instead of
 * followed forever. Hidden entries, documentation files and the workspace's own folder are passed
 * over when met inside a folder; a file named explicitly is always tried.
 */
export async function findImportFiles(paths: readonly string[], workspaceRoot?: string): Promise<FoundFiles> {
  const found: FoundFiles = { files: [], problems: [], skipped: [] }
  const seenFiles = new Set<string>()
  const ownRoot = workspaceRoot ? await realpath(workspaceRoot).catch(() => resolve(workspaceRoot)) : undefined

  async function visit(path: string, ancestors: readonly string[], explicit: boolean): Promise<void> {
    let info
    try {
      info = await lstat(path)
    } catch (error) {
      found.problems.push({ file: path, message: describeFsError(error, explicit) })
      return
    }
    let real = path
    if (info.isSymbolicLink()) {
      try {
        real = await realpath(path)
        info = await stat(real)
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        found.problems.push({
          file: path,
          message:
            code === 'ELOOP'
              ? 'symbolic link loop: the link points back to itself through other links; not followed'
              : 'broken symbolic link: its target does not exist'
        })
        return
      }
    } else {
      real = await realpath(path).catch(() => resolve(path))
    }

    if (info.isDirectory()) {
      if (ancestors.includes(real)) {
        found.problems.push({
          file: path,
          message: `symbolic link loop: leads back to ${real}, which is already being imported; not followed`
        })
        return
      }
      if (ownRoot && real === ownRoot) {
        if (explicit) found.problems.push({ file: path, message: 'this is the workspace itself; choose the files to import into it instead' })
        return
      }
      let names: string[]
      try {
        names = (await readdir(path)).sort()
      } catch (error) {
        found.problems.push({ file: path, message: describeFsError(error, explicit) })
        return
      }
      for (const name of names) {
        if (name.startsWith('.')) continue
        await visit(join(path, name), [...ancestors, real], false)
      }
      return
    }
    if (!info.isFile()) {
      found.problems.push({ file: path, message: 'not a regular file (device, socket or pipe); skipped' })
      return
    }
    if (!explicit && isDocumentationFile(basename(path))) {
      found.skipped.push(path)
      return
    }
    if (seenFiles.has(real)) return
    seenFiles.add(real)
    found.files.push(path)
  }

  for (const path of paths) await visit(path, [], true)
  return found
}

function describeFsError(error: unknown, explicit: boolean): string {
  const code = (error as NodeJS.ErrnoException).code
  switch (code) {
    case 'ENOENT':
      return explicit ? 'no such file or folder' : 'disappeared while importing'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied: SDF Studio cannot read it'
    case 'ELOOP':
      return 'symbolic link loop; not followed'
    default:
      return `cannot read it (${code ?? (error as Error).message})`
  }
}
