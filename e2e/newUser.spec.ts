import { cp, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type AppUnderTest } from './appUnderTest.js'
import { REPO_ROOT, runSdf } from './serveProcess.js'
import { pick, watchConsole } from './pageHelpers.js'

// A new user's whole path through the UI alone (no API shortcuts), with the tiny random-weight model
// made and loaded before the page opens: fresh workspace → import an SDF folder → a persona and a topic made
// in the forms → 4 discussions designed and launched → tokens stream into the live grid → one
// discussion paused and resumed → a finished transcript → an LLM annotator → a chart → CSV export.

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'sdf')

test.describe('a new user', () => {
  let app: AppUnderTest
  let folders: string

  test.beforeAll(async ({ launchApp }) => {
    app = await launchApp({
      prepare: (workspace) => runSdf(['make-test-model', '--out', join(workspace, 'models', 'tiny.gguf')]),
      model: { fileName: 'tiny.gguf', contextSize: 1024 }
    })
    folders = await mkdtemp(join(tmpdir(), 'sdf-e2e-newuser-'))
    await cp(join(FIXTURES, 'v0.2'), join(folders, 'sdf-v0.2'), { recursive: true })
  })

  test.afterAll(async () => {
    await app?.dispose()
    // Unset when the group was skipped before its beforeAll made it.
    if (folders !== undefined) await rm(folders, { recursive: true, force: true })
  })

  test('goes from an empty workspace to an annotated, charted and exported experiment through the UI', async () => {
    test.setTimeout(600_000)
    const { page } = app
    const errors = watchConsole(page)
    await page.setViewportSize({ width: 1400, height: 900 })
    await app.open('/')
    await expect(page.getByTestId('next-steps')).toBeVisible()

    // Import an SDF folder.
    await page.getByTestId('nav-import').click()
    await page.getByTestId('import-folder-input').setInputFiles(join(folders, 'sdf-v0.2'))
    await expect(page.getByTestId('import-report')).toBeVisible({ timeout: 60_000 })
    await expect(page.getByTestId('import-count-discussions')).toHaveText('1 discussion')

    // A persona and a topic of their own.
    await page.getByTestId('nav-personas').click()
    await expect(page.getByTestId('personas-table')).toBeVisible()
    await page.keyboard.press('Control+n')
    await page.getByTestId('persona-username').fill('Newcomer')
    await page.getByTestId('persona-age').fill('33')
    await page.getByTestId('persona-save').click()
    await expect(page.locator('[data-testid="personas-row"][data-id="newcomer"]')).toBeVisible()

    await page.getByTestId('nav-topics').click()
    await page.getByTestId('topics-new').click()
    await page.getByTestId('topic-title').fill('Library opening hours')
    await page.getByTestId('topic-text').fill('Should the public library open on Sundays?')
    await page.getByTestId('topic-save').click()
    await expect(page.locator('[data-testid="topics-row"][data-id="library-opening-hours"]')).toBeVisible()

    // Design 4 discussions and launch them.
    await page.getByTestId('nav-designer').click()
    await page.getByTestId('design-name').fill('First study')
    await pick(page, 'design-personas', ['Newcomer', 'quietlibrarian', 'DieselDad74'])
    await page.getByTestId('design-usersPerDiscussion').fill('2')
    await pick(page, 'design-topics', ['Library opening hours'])
    await pick(page, 'design-user-instructions', ['Plain forum user (example)'])
    await page.getByTestId('design-models').fill('tiny.gguf')
    await page.getByTestId('design-models').press('Enter')
    await page.getByTestId('design-convLen').fill('6')
    await page.getByTestId('design-maxTokens').fill('24')
    await page.getByTestId('design-replicates').fill('4')
    await expect(page.getByTestId('design-discussions')).toHaveText('4', { timeout: 20_000 })
    await page.getByTestId('design-launch').click()

    // Tokens stream into the live grid; one discussion pauses and resumes. The tiny model can end a
    // discussion between two looks at it (the pause button is then disabled, or the pause comes
    // too late): the pause then goes to another discussion still running.
    await expect(page).toHaveURL(/#\/runs\/[^/]+$/, { timeout: 30_000 })
    await expect(page.getByTestId('run-pane')).toHaveCount(4)
    const running = page.locator('[data-testid="run-pane"][data-phase="running"]').first()
    let pane = running
    for (let attempt = 1; ; attempt++) {
      await expect(running).toBeVisible({ timeout: 60_000 })
      const discussionId = await running.getAttribute('data-discussion')
      pane = page.locator(`[data-testid="run-pane"][data-discussion="${discussionId}"]`)
      await expect.poll(async () => Number(await pane.getAttribute('data-tokens')), { timeout: 60_000 }).toBeGreaterThan(0)
      await pane.getByTestId('pane-pause').click({ timeout: 5_000 }).catch(() => undefined)
      await expect(pane).toHaveAttribute('data-phase', /^(paused|finished|failed|cancelled|interrupted)$/, { timeout: 30_000 })
      if ((await pane.getAttribute('data-phase')) === 'paused') break
      expect(attempt, 'discussions that ended before they could be paused').toBeLessThan(3)
    }
    await page.screenshot({ path: app.artifact('new-user-run-paused.png'), fullPage: true })
    await pane.getByTestId('pane-resume').click()
    await expect(pane).not.toHaveAttribute('data-phase', 'paused', { timeout: 30_000 })
    await expect(page.locator('[data-testid="run-pane"][data-phase="finished"]')).toHaveCount(4, { timeout: 240_000 })

    // A finished transcript.
    await page.getByTestId('nav-transcripts').click()
    await expect(page.getByTestId('transcript-row')).toHaveCount(5, { timeout: 30_000 })
    await page.locator(`[data-testid="open-transcript"]`).first().click()
    await expect(page.getByTestId('transcript').getByTestId('comment').first()).toBeVisible()

    // An LLM annotator over every discussion.
    await page.getByTestId('nav-annotation').click()
    await page.getByRole('checkbox', { name: /Toxicity 1-5 \(example\)/ }).check()
    await page.getByTestId('start-annotation').click()
    await expect(page.getByTestId('annotation-job')).toHaveAttribute('data-finished', 'true', { timeout: 240_000 })

    // A chart of the label, and the tables as CSV.
    await page.getByTestId('nav-analysis').click()
    // The imported SDF discussion brings labels of its own: choose the one just annotated.
    await expect(page.getByTestId('analysis-label')).toBeEnabled({ timeout: 30_000 })
    await page.getByTestId('analysis-label').click()
    await page.getByRole('option', { name: 'toxicity', exact: true }).click()
    await expect(page.getByTestId('analysis-label')).toHaveValue('toxicity')
    await expect(page.getByTestId('chart-label-by-turn').locator('svg').first()).toBeVisible({ timeout: 30_000 })
    await page.screenshot({ path: app.artifact('new-user-analysis.png'), fullPage: true })
    await page.getByTestId('export-tables-button').click()
    const csv = await exportedTable(app, 'comments.csv')
    const [header, ...rows] = csv.trim().split(/\r?\n/)
    expect(header).toContain('discussion_id')
    // 4 generated discussions of 6 user turns each, plus the imported one.
    expect(rows.length).toBeGreaterThanOrEqual(4 * 6)
    expect(errors).toEqual([])
  })
})

/**
 * A table the Analysis page has just exported, as the user gets it: the web host links each file for
 * download; the desktop lists the files written under the workspace's exports/ folder, no link.
 */
async function exportedTable(app: AppUnderTest, fileName: string): Promise<string> {
  const { page } = app
  const listing = page.getByTestId('export-tables')
  await expect(listing.getByText(/^Written to /)).toBeVisible({ timeout: 60_000 })
  const name = fileName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  if (app.host === 'web') {
    const link = page.getByTestId('export-file').filter({ hasText: new RegExp(`^${name}$`) })
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
    return readFile((await download.path()) ?? '', 'utf8')
  }
  await expect(listing.getByText(new RegExp(`^${name} · `))).toBeVisible()
  const folder = /^Written to (.+) in the workspace:$/.exec(await listing.getByText(/^Written to /).innerText())?.[1]
  expect(folder, 'the folder the export says it wrote').toBeDefined()
  return readFile(join(app.workspace, folder ?? '', fileName), 'utf8')
}
