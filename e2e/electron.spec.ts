import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'
import { ARTIFACTS, REPO_ROOT } from './serveProcess.js'

/**
 * The Electron executable, found the way electron 39's index.js finds it (node_modules/electron/
 * path.txt names it inside dist/), but without requiring the package: that would try to download
 * the binary where it is missing.
 */
function electronBinary(): string | null {
  const packageDir = join(REPO_ROOT, 'node_modules', 'electron')
  const pathFile = join(packageDir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? binary : null
}

const binary = electronBinary()

test.describe('SDF Studio as a desktop app', () => {
  test.skip(
    binary === null,
    'no Electron binary here: node_modules/electron/path.txt is missing (installed with ELECTRON_SKIP_BINARY_DOWNLOAD, or offline)'
  )

  test('opens its window and talks to main over IPC', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'sdf-electron-e2e-'))
    const app = await electron.launch({
      executablePath: binary as string,
      args: [REPO_ROOT],
      env: { ...process.env, SDF_WORKSPACE: workspace }
    })
    try {
      const page = await app.firstWindow()
      await expect(page.getByTestId('app-version')).toContainText('electron host')
      await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open')
      // The preload exposes the bridge and nothing of Node.
      expect(await page.evaluate('[typeof window.sdf, typeof window.require, typeof window.process]')).toEqual(['object', 'undefined', 'undefined'])
      await page.screenshot({ path: join(ARTIFACTS, 'electron-home.png') })
    } finally {
      await app.close()
    }
  })
})
