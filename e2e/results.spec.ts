import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { INSTRUCTIONS, PERSONAS, testDesign, TOPICS } from '../test/unit/engine/library.js'
import { expect, test, type AppUnderTest } from './appUnderTest.js'
import { runSdf } from './serveProcess.js'
import { watchConsole } from './pageHelpers.js'

// The results half of the workbench with the tiny random-weight model loaded:
// live runs, transcripts, analysis and models. Random weights: assert on structure, never on text.

test.describe.configure({ mode: 'serial' })

test.describe('live runs, transcripts, analysis and models', () => {
  let app: AppUnderTest
  let page: Page
  let errors: string[]

  test.beforeAll(async ({ launchApp }) => {
    app = await launchApp({
      prepare: (workspace) => runSdf(['make-test-model', '--out', join(workspace, 'models', 'tiny.gguf')]),
      model: { fileName: 'tiny.gguf', contextSize: 1024 }
    })
    for (const persona of PERSONAS) await app.call('personas.put', { record: persona })
    for (const topic of TOPICS) await app.call('topics.put', { record: topic })
    for (const instruction of INSTRUCTIONS) await app.call('instructions.put', { record: instruction })
    // 2 topics × (moderated, not): 4 discussions, long enough to pause one while it runs.
    await app.call('designs.put', { record: testDesign({ discussion: { conv_len: 16, history_ctx_len: 3, max_tokens: 40 } }) })
    page = app.page
    await page.setViewportSize({ width: 1400, height: 900 })
    errors = watchConsole(page)
    await app.open('/')
    await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open')
  })

  test.afterAll(async () => {
    await app?.dispose()
  })

  test('the models page lists the model with its metadata', async () => {
    await app.open('/models')
    const row = page.locator('[data-testid="model-row"][data-file="tiny.gguf"]')
    // Reading GGUF headers (and llama.cpp, for the hardware) takes a while on a busy machine.
    await expect(row).toBeVisible({ timeout: 45_000 })
    await expect(row).toContainText('llama')
    await expect(page.getByTestId('loaded-model')).toContainText('tiny.gguf')
    await expect(page.getByTestId('make-demo-model')).toContainText('meaningless text')
    await page.screenshot({ path: app.artifact('results-models.png'), fullPage: true })
    expect(errors).toEqual([])
  })

  test('the runs page streams tokens into the grid, and one discussion pauses and resumes', async () => {
    await app.open('/runs')
    await expect(page.getByTestId('empty-state')).toBeVisible()
    await page.screenshot({ path: app.artifact('results-runs-empty.png'), fullPage: true })
    await page.getByTestId('start-run-design').click()
    await page.getByRole('option', { name: /pilot/i }).click()
    await page.getByLabel('Discussions at once').fill('2')
    await page.getByTestId('start-run-button').click()

    await expect(page).toHaveURL(/#\/runs\/[^/]+$/)
    const panes = page.getByTestId('run-pane')
    await expect(panes).toHaveCount(4)
    const running = page.locator('[data-testid="run-pane"][data-phase="running"]').first()
    await expect(running).toBeVisible({ timeout: 30_000 })
    const discussionId = await running.getAttribute('data-discussion')
    const pane = page.locator(`[data-testid="run-pane"][data-discussion="${discussionId}"]`)
    // Tokens arrive while it is generated.
    await expect.poll(async () => Number(await pane.getAttribute('data-tokens')), { timeout: 30_000 }).toBeGreaterThan(0)
    await expect(pane.getByTestId('pane-text')).not.toBeEmpty()

    // Paused at once (a busy machine's screenshot could outlast the discussion).
    await pane.getByTestId('pane-pause').click()
    await expect(pane).toHaveAttribute('data-phase', 'paused', { timeout: 30_000 })
    await page.screenshot({ path: app.artifact('results-runs-live.png'), fullPage: true })
    const tokensWhenPaused = Number(await pane.getAttribute('data-tokens'))
    await page.waitForTimeout(1500)
    expect(Number(await pane.getAttribute('data-tokens'))).toBe(tokensWhenPaused)
    await page.screenshot({ path: app.artifact('results-runs-paused.png'), fullPage: true })
    await pane.getByTestId('pane-resume').click()
    await expect(pane).not.toHaveAttribute('data-phase', 'paused', { timeout: 30_000 })

    // Full size while it runs (or once it has ended).
    await pane.getByTestId('pane-open').click()
    await expect(page.getByTestId('full-text')).not.toBeEmpty()
    await page.keyboard.press('Escape')
    await expect(page.getByTestId('run-grid')).toBeVisible()

    await expect(page.locator('[data-testid="run-pane"][data-phase="finished"]')).toHaveCount(4, { timeout: 120_000 })
    await expect(page.getByTestId('run-progress')).toContainText('4/4')
    await page.screenshot({ path: app.artifact('results-runs-finished.png'), fullPage: true })
    expect(errors).toEqual([])
  })

  test('a finished transcript opens with its speakers and comments', async () => {
    await app.open('/transcripts')
    await expect(page.getByTestId('transcript-row')).toHaveCount(4)
    await page.screenshot({ path: app.artifact('results-transcripts.png'), fullPage: true })
    await page.getByTestId('open-transcript').first().click()
    const transcript = page.getByTestId('transcript')
    await expect(transcript).toBeVisible()
    await expect(transcript.getByTestId('participant').first()).toBeVisible()
    expect(await transcript.getByTestId('comment').count()).toBeGreaterThan(1)
    await transcript.locator('summary').first().click()
    await page.screenshot({ path: app.artifact('results-transcript.png'), fullPage: true })

    await app.open('/transcripts')
    const boxes = page.getByRole('checkbox')
    await boxes.nth(0).check()
    await boxes.nth(1).check()
    await page.getByTestId('compare-selected').click()
    await expect(page.getByTestId('compare-view').getByTestId('transcript')).toHaveCount(2)
    await page.screenshot({ path: app.artifact('results-compare.png'), fullPage: true })
    expect(errors).toEqual([])
  })

  test('the analysis page draws charts and exports a chart’s CSV', async () => {
    await app.open('/analysis')
    const lengths = page.getByTestId('chart-lengths')
    await expect(lengths.locator('svg').first()).toBeVisible({ timeout: 30_000 })
    await page.screenshot({ path: app.artifact('results-analysis.png'), fullPage: true })
    const [download] = await Promise.all([page.waitForEvent('download'), lengths.getByTestId('export-csv').click()])
    expect(download.suggestedFilename()).toBe('comment-length.csv')
    const csv = await readFile((await download.path()) ?? '', 'utf8')
    const [header, ...lines] = csv.trim().split('\r\n')
    expect(header).toContain('group')
    expect(header).toContain('mean')
    expect(lines.length).toBeGreaterThan(0)
    const [svgDownload] = await Promise.all([page.waitForEvent('download'), lengths.getByTestId('export-svg').click()])
    expect(await readFile((await svgDownload.path()) ?? '', 'utf8')).toMatch(/^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    const [pngDownload] = await Promise.all([page.waitForEvent('download'), lengths.getByTestId('export-png').click()])
    expect((await readFile((await pngDownload.path()) ?? '')).subarray(1, 4).toString()).toBe('PNG')
    expect(errors).toEqual([])
  })

  test('an LLM annotator labels the discussions, and the label is charted over turns', async () => {
    await app.open('/annotate')
    await page.getByRole('checkbox', { name: /Toxicity 1-5 \(example\)/ }).check()
    await page.getByTestId('start-annotation').click()
    const job = page.getByTestId('annotation-job')
    await expect(job).toBeVisible()
    await page.screenshot({ path: app.artifact('results-annotate-running.png'), fullPage: true })
    await expect(job).toHaveAttribute('data-finished', 'true', { timeout: 180_000 })
    await page.screenshot({ path: app.artifact('results-annotate-finished.png'), fullPage: true })

    await app.open('/analysis')
    await expect(page.getByTestId('analysis-label')).toHaveValue('toxicity')
    await expect(page.getByTestId('chart-label-by-turn').locator('svg').first()).toBeVisible({ timeout: 30_000 })
    await page.getByTestId('analysis-group-by').getByText('condition').click()
    // The first condition that varies is chosen: here moderated or not.
    await expect(page.getByRole('combobox', { name: 'Condition' })).toHaveValue('moderator_instructions')
    await expect(page.getByTestId('chart-compare').locator('svg').first()).toBeVisible({ timeout: 30_000 })
    await page.screenshot({ path: app.artifact('results-analysis-labels.png'), fullPage: true })

    await app.open('/transcripts')
    await page.getByTestId('open-transcript').first().click()
    await expect(page.getByTestId('annotation-chip').first()).toBeVisible()
    await page.screenshot({ path: app.artifact('results-transcript-annotated.png'), fullPage: true })
    expect(errors).toEqual([])
  })

  test('the blind human mode labels a comment from the keyboard and moves on', async () => {
    await app.open('/annotate/human')
    await page.getByTestId('human-spec').click()
    await page.getByRole('option', { name: /Toxicity 1-5 \(example\)/ }).click()
    await page.getByTestId('human-name').fill('coder-1')
    await page.getByTestId('human-start').click()
    const item = page.getByTestId('human-item')
    await expect(item).toBeVisible()
    const discussionId = (await item.getAttribute('data-discussion')) ?? ''
    const commentIndex = Number(await item.getAttribute('data-index'))
    await page.screenshot({ path: app.artifact('results-annotate-human.png'), fullPage: true })
    await page.keyboard.press('4')
    await expect(item.getByRole('button', { name: /4/ })).toHaveAttribute('aria-pressed', 'true')
    await page.keyboard.press('Enter')
    await expect
      .poll(async () => `${await item.getAttribute('data-discussion')}#${await item.getAttribute('data-index')}`)
      .not.toBe(`${discussionId}#${commentIndex}`)
    const listing = (await app.call('annotations.list', { discussionId })) as { items: { comment_index: number; annotator: { name: string }; values: Record<string, unknown> }[] }
    expect(listing.items.find((annotation) => annotation.annotator.name === 'coder-1' && annotation.comment_index === commentIndex)?.values).toEqual({ toxicity: 4 })
    expect(errors).toEqual([])
  })

  test('the annotation page and every results page render in dark mode too', async () => {
    await app.open('/annotate')
    await expect(page.getByTestId('tab-llm')).toBeVisible()
    await page.screenshot({ path: app.artifact('results-annotate.png'), fullPage: true })
    // The system's dark preference (the app follows it unless a theme was chosen).
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.reload()
    for (const [path, name] of [
      ['/runs', 'runs'],
      ['/transcripts', 'transcripts'],
      ['/annotate/human', 'annotate-human'],
      ['/analysis', 'analysis'],
      ['/models', 'models']
    ] as const) {
      await app.open(path)
      await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark')
      await page.waitForTimeout(700)
      await page.screenshot({ path: app.artifact(`results-${name}-dark.png`), fullPage: true })
    }
    expect(errors).toEqual([])
  })

  test('fork from here starts a run that keeps the comments up to the chosen one', async () => {
    await page.emulateMedia({ colorScheme: 'light' })
    await app.open('/transcripts/pilot-0000')
    const second = page.locator('[data-testid="comment"][data-index="1"]')
    await second.getByTestId('fork-here').click()
    await expect(page).toHaveURL(/#\/runs\/[^/]+$/)
    await expect(page.getByTestId('run-pane')).toHaveCount(1)
    await expect(page.locator('[data-testid="run-pane"][data-phase="finished"]')).toHaveCount(1, { timeout: 120_000 })
    await page.screenshot({ path: app.artifact('results-runs-fork.png'), fullPage: true })
    await app.open('/transcripts')
    await expect(page.getByTestId('transcript-row')).toHaveCount(5)
    expect(errors).toEqual([])
  })
})
