import type { Page } from '@playwright/test'
import { writeSyntheticWorkspace } from '../bench/lib/syntheticWorkspace.js'
import { expect, test, type AppUnderTest } from './appUnderTest.js'
import { watchConsole } from './pageHelpers.js'

// More discussions than one search answers (1,000): the transcript list loads the next page as it
// is scrolled, and sorts by id on the host, over every match rather than the rows loaded so far.

const DISCUSSIONS = 1_150

test.describe('a transcript list longer than one page', () => {
  let app: AppUnderTest
  let page: Page
  let errors: string[]

  test.beforeAll(async ({ launchApp }) => {
    test.setTimeout(120_000)
    app = await launchApp({
      prepare: async (workspace) => {
        await writeSyntheticWorkspace(workspace, { discussions: DISCUSSIONS, commentsPerDiscussion: 3, annotators: 1, seed: 3 })
      }
    })
    page = app.page
    errors = watchConsole(page)
    await page.setViewportSize({ width: 1400, height: 900 })
  })

  test.afterAll(async () => {
    await app?.dispose()
  })

  test('loads the rest of the matches as the list is scrolled to its end', async () => {
    await app.open('/transcripts')
    const count = page.getByTestId('transcript-count')
    await expect(count).toHaveText(`${DISCUSSIONS} discussions (1000 listed so far: scroll for more)`, { timeout: 30_000 })
    const list = page.getByTestId('transcript-list')
    await expect(async () => {
      await list.evaluate((element) => element.scrollTo(0, element.scrollHeight))
      await expect(count).toHaveText(`${DISCUSSIONS} discussions`, { timeout: 1_000 })
    }).toPass({ timeout: 30_000 })
    await list.evaluate((element) => element.scrollTo(0, element.scrollHeight))
    await expect(page.locator('[data-testid="transcript-row"]').last()).toHaveAttribute('data-discussion', 'bench-001149')
    await page.screenshot({ path: app.artifact('transcripts-paged.png'), fullPage: true })
  })

  test('sorts by id on the host: descending starts with the last discussion of all, not of the first page', async () => {
    await app.open('/transcripts')
    const header = page.getByRole('columnheader', { name: 'Discussion' })
    await header.click()
    await header.click()
    await expect(header).toContainText('▼')
    const list = page.getByTestId('transcript-list')
    await list.evaluate((element) => element.scrollTo(0, 0))
    await expect(page.locator('[data-testid="transcript-row"]').first()).toHaveAttribute('data-discussion', 'bench-001149', { timeout: 30_000 })
    // The first page of the host's order: the ids count down from the last one.
    await expect(page.locator('[data-testid="transcript-row"]').nth(1)).toHaveAttribute('data-discussion', 'bench-001148')
    expect(errors).toEqual([])
  })
})
