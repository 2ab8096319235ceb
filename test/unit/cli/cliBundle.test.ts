import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { stat, utimes } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bundledCli } from '../../../bin/cliBundle.mjs'
import { REPO_ROOT } from '../../helpers/fixtures.js'

// bin/sdf runs a bundle of src/cli cached in node_modules/.cache/sdf-studio/ while its sources are unchanged.
describe("bin/sdf's cached bundle of the CLI", () => {
  it('is reused while no source file it was built from has changed', async () => {
    const first = await bundledCli()
    expect(first).toMatch(/^file:.*\/node_modules\/\.cache\/sdf-studio\/build-[^/]+\/cli\.js$/)
    expect(await bundledCli()).toBe(first)
  })

  it('is built again when one of its source files changes', async () => {
    const before = await bundledCli()
    const source = join(REPO_ROOT, 'src', 'cli', 'packageRoot.ts')
    const { atime, mtime } = await stat(source)
    try {
      await utimes(source, atime, new Date(mtime.getTime() + 2000))
      const after = await bundledCli()
      expect(after).toBeDefined()
      expect(after).not.toBe(before)
    } finally {
      await utimes(source, atime, mtime)
    }
  }, 30_000)

  it('carries the export worker beside the CLI, where the export looks for it', async () => {
    const cli = await bundledCli()
    expect(existsSync(new URL('./exportWorker.js', cli))).toBe(true)
    const result = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'sdf'), '--version'], { encoding: 'utf8' })
    expect(result.status).toBe(0)
  })
})
