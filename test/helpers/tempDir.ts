import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'

const created: string[] = []

/** A fresh folder under the OS temp dir, removed after the test. */
export async function tempDir(prefix = 'sdf-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  created.push(dir)
  return dir
}

afterEach(async () => {
  // Retried: work a test started and did not wait for (the API fuzz test's random calls can start
  // a model download or the demo model) may still be writing in the folder: ENOTEMPTY once in CI.
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 })))
})
