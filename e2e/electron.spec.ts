import { expect, test, type AppUnderTest } from './appUnderTest.js'

// Desktop only (the desktop project; playwright.config.ts keeps it out of the web one): what the
// Electron host adds to the shared UI specs is its window and the preload's bridge.
test.describe('SDF Studio as a desktop app', () => {
  let app: AppUnderTest

  test.beforeAll(async ({ launchApp }) => {
    app = await launchApp()
  })

  test.afterAll(async () => {
    await app?.dispose()
  })

  test('opens its window and talks to main over IPC', async () => {
    const { page } = app
    await expect(page.getByTestId('app-version')).toContainText('electron host')
    await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open')
    // The preload exposes the bridge and nothing of Node.
    expect(await page.evaluate('[typeof window.sdf, typeof window.require, typeof window.process]')).toEqual(['object', 'undefined', 'undefined'])
    expect(await app.call('app.info')).toMatchObject({ host: 'electron', workspacePath: app.workspace })
    await page.screenshot({ path: app.artifact('electron-home.png') })
  })
})
