import { randomBytes } from 'node:crypto'
import { rename, rm, writeFile } from 'node:fs/promises'

/**
 * Writes `path` through a temp file and a rename, so readers never see half a file. For caches and
 * scratch files only: unlike the workspace's writeFileAtomically it does not fsync, and it avoids
 * write-file-atomic (CommonJS), which keeps the model code bundleable as ESM for the GPU machine.
 */
export async function replaceFile(path: string, data: string): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`
  try {
    await writeFile(temp, data)
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}
