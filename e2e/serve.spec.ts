import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { ARTIFACTS, E2E_TOKEN, REPO_ROOT, runSdf, startServe, type ServeProcess } from './serveProcess.js'
import { watchConsole } from './pageHelpers.js'

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'sdf')

const expectedStream = (tokens: number) => Array.from({ length: tokens }, (_, i) => `w${i} `).join('')

test.beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true })
})

test.describe('SDF Studio in a browser, served by sdf serve', () => {
  let server: ServeProcess

  test.beforeAll(async () => {
    server = await startServe({ prepare: (workspace) => runSdf(['import', join(FIXTURES, 'v0.2'), '--workspace', workspace]) })
  })

  test.afterAll(async () => {
    await server.dispose()
  })

  test('opens through the token URL, keeps the token in an HttpOnly cookie and shows the version and the workspace', async ({ page, context }) => {
    const errors = watchConsole(page)
    await page.goto(server.openUrl)
    // The token is traded for a cookie and taken out of the address bar.
    expect(page.url()).toBe(`${server.origin}/`)
    const [cookie] = await context.cookies(server.origin)
    expect(cookie).toMatchObject({ name: `sdf-token-${server.port}`, value: E2E_TOKEN, httpOnly: true, sameSite: 'Strict', path: '/' })

    await expect(page.getByTestId('app-version')).toHaveText(/^Version 0\.1\.0 · web host on linux$/)
    await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open')
    const summary = (await server.call('workspace.summary')) as { path: string; counts: Record<string, number> }
    const section = page.getByTestId('workspace-summary')
    await expect(section).toContainText(server.workspace)
    for (const [kind, count] of Object.entries(summary.counts)) {
      await expect(section.getByRole('row', { name: kind })).toHaveText(`${kind}${count}`)
    }
    expect(summary.counts['personas']).toBeGreaterThan(0)
    await page.screenshot({ path: join(ARTIFACTS, 'serve-home.png'), fullPage: true })
    expect(errors).toEqual([])
  })

  test('refuses a browser that comes without the token', async ({ browser }) => {
    const stranger = await browser.newContext()
    const page = await stranger.newPage()
    const response = await page.goto(server.origin)
    expect(response?.status()).toBe(401)
    await expect(page.locator('body')).toContainText('needs its access token')
    await expect(page.locator('#root')).toHaveCount(0)
    await stranger.close()
  })

  test('shows a lost connection, reconnects when the server is back and reads the workspace again', async ({ page }) => {
    const errors = watchConsole(page)
    await page.goto(server.openUrl)
    const badge = page.getByTestId('connection-state')
    await expect(badge).toHaveAttribute('data-state', 'open')
    const personas = page.getByTestId('workspace-summary').getByRole('row', { name: 'personas' })
    const before = Number((await personas.locator('td').textContent()) ?? 'NaN')

    await server.stop()
    await expect(badge).toHaveAttribute('data-state', 'reconnecting')
    await expect(badge).toContainText('reconnecting')
    await page.screenshot({ path: join(ARTIFACTS, 'serve-reconnecting.png') })
    // Changed while the server was down: the page must show it after reconnecting.
    await runSdf(['import', join(FIXTURES, 'v0', 'discussions_input', 'personas'), '--workspace', server.workspace])
    await server.restart()

    await expect(badge).toHaveAttribute('data-state', 'open', { timeout: 20_000 })
    await expect(personas.locator('td')).not.toHaveText(String(before))
    expect(Number(await personas.locator('td').textContent())).toBeGreaterThan(before)
    // Only the browser's own reports of refused connections, while the server was down.
    expect(errors.filter((error) => !/WebSocket connection to .* failed|ERR_CONNECTION_REFUSED/.test(error))).toEqual([])
  })
})

test.describe('live token streams', () => {
  let server: ServeProcess

  test.beforeAll(async () => {
    server = await startServe({ testing: true })
  })

  test.afterAll(async () => {
    await server.dispose()
  })

  test('render into one pane each and survive a dropped link with nothing lost or shown twice', async ({ page }) => {
    const errors = watchConsole(page)
    await page.goto(server.openUrl)
    await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open')
    // Record every state the badge passes through, however briefly. (A string: the spec is type-checked without the DOM library.)
    await page.evaluate(`(() => {
      const badge = document.querySelector('[data-testid="connection-state"]')
      window.seenStates = []
      new MutationObserver(() => window.seenStates.push(badge.dataset.state)).observe(badge, { attributes: true })
    })()`)

    // 100 tokens a stream ("w0 " … "w99 ", 390 characters) fit the pane's visible tail, so the
    // whole stream can be compared.
    await server.call('testing.streams.start', { streams: 8, tokensPerSecond: 400, durationMs: 2_000 })
    await expect(page.getByTestId('stream-pane')).toHaveCount(8)
    await page.waitForTimeout(800)
    await server.call('testing.dropConnections')

    const panes = page.getByTestId('stream-pane')
    await expect(page.locator('[data-testid="stream-pane"][data-done="true"]')).toHaveCount(8, { timeout: 20_000 })
    for (const pane of await panes.all()) {
      await expect(pane).toHaveAttribute('data-next', '100')
      await expect(pane).toHaveText(expectedStream(100))
    }
    const seen = (await page.evaluate('window.seenStates')) as string[]
    expect(seen).toContain('reconnecting')
    expect(seen.at(-1)).toBe('open')
    await page.screenshot({ path: join(ARTIFACTS, 'serve-streams.png'), fullPage: true })
    expect(errors).toEqual([])
  })
})
