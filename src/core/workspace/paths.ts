import { isAbsolute, relative, resolve } from 'node:path'

export class PathOutsideWorkspaceError extends Error {
  override readonly name = 'PathOutsideWorkspaceError'
  constructor(
    readonly requested: string,
    readonly root: string
  ) {
    super(`"${requested}" is outside the workspace ${root}; only paths inside it can be used`)
  }
}

/**
 * Resolves a workspace-relative path and refuses anything that would land outside the workspace
 * (`..`, absolute paths), whoever supplied it: a client of `sdf serve`, a design file, a CLI flag.
 */
export function resolveInsideWorkspace(root: string, ...segments: string[]): string {
  const absoluteRoot = resolve(root)
  const target = resolve(absoluteRoot, ...segments)
  const fromRoot = relative(absoluteRoot, target)
  if (fromRoot === '' ) return target
  if (fromRoot.startsWith('..') || isAbsolute(fromRoot)) {
    throw new PathOutsideWorkspaceError(segments.join('/'), absoluteRoot)
  }
  return target
}
