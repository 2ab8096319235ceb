import { expect, test, type AppUnderTest } from './appUnderTest.js'
import { watchConsole } from './pageHelpers.js'

// A new user's first minute: a fresh workspace, the app started with no model at all, and one click.
// The demo model has random weights, so its text is meaningless: only structure is asserted.
test.describe('the one-click demo on a fresh workspace started without a model', () => {
  let app: AppUnderTest

  test.beforeAll(async ({ launchApp }) => {
    // The host's default threads (all cores but one): the demo must work as a new user starts it.
    app = await launchApp({ gpu: 'cpu' })
  })

  test.afterAll(async () => {
    await app?.dispose()
  })

  test('makes and loads the demo model, runs live, finishes, annotates and charts', async () => {
    test.setTimeout(180_000)
    const { page } = app
    const errors = watchConsole(page)
    const started = Date.now()
    expect(((await app.call('models.status')) as { loaded: unknown }).loaded).toBeNull()

    await app.open('/')
    await page.getByTestId('start-demo').click()
    await expect(page.getByText('Demo started')).toBeVisible({ timeout: 60_000 })
    const loaded = (await app.call('models.status')) as { loaded: { fileName: string } | null }
    expect(loaded.loaded?.fileName).toMatch(/\.gguf$/)

    // The overview leads straight to the demo run, live, with a banner that follows the demo.
    await expect(page).toHaveURL(/#\/runs\/[^/]+$/)
    await expect(page.getByTestId('demo-banner')).toBeVisible()
    const panes = page.getByTestId('run-pane')
    await expect(panes).toHaveCount(4)
    // Tokens stream into at least one pane while the run goes on.
    await expect(async () => {
      const tokens = await panes.evaluateAll((nodes) => nodes.map((node) => Number(node.getAttribute('data-tokens') ?? 0)))
      expect(Math.max(...tokens)).toBeGreaterThan(0)
    }).toPass({ timeout: 60_000 })
    await page.screenshot({ path: app.artifact('demo-run-live.png'), fullPage: true })
    await expect(page.locator('[data-testid="run-pane"][data-phase="finished"]')).toHaveCount(4, { timeout: 120_000 })
    for (const text of await page.getByTestId('pane-text').allInnerTexts()) expect(text.trim().length).toBeGreaterThan(0)
    await page.screenshot({ path: app.artifact('demo-run-finished.png'), fullPage: true })

    // The demo annotates and charts in the background; the banner says when it is done and leads to Analysis.
    await expect(page.getByTestId('demo-banner')).toHaveAttribute('data-state', 'done', { timeout: 120_000 })
    await page.screenshot({ path: app.artifact('demo-done-banner.png'), fullPage: true })
    await expect(async () => {
      const status = (await app.call('demo.status')) as { state: string; message: string }
      expect(status.state, status.message).toBe('done')
    }).toPass({ timeout: 120_000 })
    const seconds = (Date.now() - started) / 1000
    test.info().annotations.push({ type: 'demo seconds', description: seconds.toFixed(1) })
    const status = (await app.call('demo.status')) as { analysis: { label: string; annotatedComments: number; byTurn: unknown[] } | null }
    expect(status.analysis?.annotatedComments).toBeGreaterThan(0)
    expect(status.analysis?.byTurn.length).toBeGreaterThan(0)

    await page.getByTestId('demo-see-charts').click()
    await expect(page.getByTestId('analysis-label')).toHaveValue(status.analysis?.label ?? 'toxicity')
    const chart = page.getByTestId('chart').first()
    await expect(chart.locator('svg').first()).toBeVisible({ timeout: 30_000 })
    await page.screenshot({ path: app.artifact('demo-analysis.png'), fullPage: true })
    console.log(`demo end to end: ${seconds.toFixed(1)} s`)
    expect(seconds).toBeLessThan(150)
    expect(errors).toEqual([])
  })
})
