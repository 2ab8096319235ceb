import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/**
 * The folder of SDF Studio's package.json, found upward from this module: `src/cli/` when run from
 * the sources, the bundle's folder under `node_modules/.cache/` when `bin/sdf` runs its bundle.
 */
export function packageRoot(from: string = import.meta.dirname): string {
  for (let folder = from; ; folder = dirname(folder)) {
    const manifest = join(folder, 'package.json')
    if (existsSync(manifest) && isSdfStudio(manifest)) return folder
    if (dirname(folder) === folder) throw new Error(`SDF Studio's package.json was not found above ${from}`)
  }
}

function isSdfStudio(manifest: string): boolean {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'sdf-studio'
  } catch {
    return false
  }
}
