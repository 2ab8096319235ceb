import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))

function start(extraEnv: Record<string, string>) {
  const env: NodeJS.ProcessEnv = { ...process.env, SDF_START_SKIP_BUILD: '1' }
  delete env['ELECTRON_RUN_AS_NODE']
  delete env['ELECTRON_OVERRIDE_DIST_PATH']
  Object.assign(env, extraEnv)
  return spawnSync(process.execPath, ['scripts/start.mjs'], { cwd: root, env, encoding: 'utf8', timeout: 20_000 })
}

function expectPlainNoBinaryMessage(result: ReturnType<typeof start>) {
  expect(result.status).toBe(1)
  expect(result.stderr).toContain('the Electron binary is not installed on this machine')
  expect(result.stderr).toContain('node node_modules/electron/install.js')
  expect(result.stderr).toContain('without ELECTRON_SKIP_BINARY_DOWNLOAD')
  expect(result.stderr).toContain('npm run serve')
  // A plain message: no stack trace, no Node error banner.
  expect(result.stderr).not.toMatch(/^\s+at /m)
  expect(result.stderr).not.toMatch(/Error:/)
}

describe('npm start (scripts/start.mjs)', () => {
  it('says plainly that the Electron binary is missing, how to get it, and to use npm run serve', () => {
    // Points the electron package at a folder without a binary, so this holds on any machine.
    expectPlainNoBinaryMessage(start({ ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent/sdf-studio-test' }))
  })

  it.skipIf(existsSync(`${root}/node_modules/electron/path.txt`))(
    'says the same where the electron package was installed without its binary (as here)',
    () => {
      expectPlainNoBinaryMessage(start({}))
    }
  )
})
