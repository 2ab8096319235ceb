import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type AppUnderTest } from './appUnderTest.js'
import { REPO_ROOT } from './serveProcess.js'
import { pick, watchConsole } from './pageHelpers.js'

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'sdf')

test.describe('the library, import and designer pages', () => {
  let app: AppUnderTest
  let folders: string

  test.beforeAll(async ({ launchApp }) => {
    app = await launchApp()
    // An SDF folder as a user would pick it: real fixtures plus one file the importer must reject.
    folders = await mkdtemp(join(tmpdir(), 'sdf-e2e-import-'))
    await cp(join(FIXTURES, 'v0.2'), join(folders, 'sdf-v0.2'), { recursive: true })
    await writeFile(join(folders, 'sdf-v0.2', 'broken.json'), '{"this is": not json')
  })

  test.afterAll(async () => {
    await app?.dispose()
    // Unset when the group was skipped before its beforeAll made it.
    if (folders !== undefined) await rm(folders, { recursive: true, force: true })
  })

  test('creates a persona through the form, after showing field errors for bad input', async () => {
    const { page } = app
    const errors = watchConsole(page)
    await app.open('/')
    // A fresh workspace: the overview says what to do first.
    await expect(page.getByTestId('next-steps')).toBeVisible()
    await expect(page.getByTestId('next-step-import')).toContainText('Import SDF files')
    await page.screenshot({ path: app.artifact('overview-fresh-workspace.png'), fullPage: true })
    await app.open('/library/personas')
    await expect(page.getByTestId('personas-table')).toBeVisible()
    // The starter library is there, marked as examples.
    await expect(page.getByTestId('example-badge').first()).toBeVisible()

    await page.keyboard.press('Control+n')
    const form = page.getByTestId('persona-form')
    await expect(form).toBeVisible()
    await page.getByTestId('persona-age').fill('200')
    await page.getByTestId('persona-save').click()
    await expect(form.getByText('Give the persona a username')).toBeVisible()
    await expect(form.getByText('An age in years must be between 0 and 130')).toBeVisible()

    await page.getByTestId('persona-username').fill('Test Persona')
    await page.getByTestId('persona-age').fill('41')
    await page.getByTestId('persona-education_level').fill('MSc')
    await page.getByTestId('persona-save').click()
    await expect(form).toBeHidden()
    const row = page.locator('[data-testid="personas-row"][data-id="test-persona"]')
    await expect(row).toContainText('Test Persona')
    await expect(row).toContainText('41')
    const stored = (await app.call('personas.get', { id: 'test-persona' })) as Record<string, unknown>
    expect(stored).toMatchObject({ id: 'test-persona', username: 'Test Persona', age: 41, education_level: 'MSc' })
    expect(errors).toEqual([])
  })

  test('generates persona variations from a template: one new persona per listed value', async () => {
    const { page } = app
    const errors = watchConsole(page)
    await app.open('/library/personas')
    await page.getByRole('button', { name: 'Variations of Test Persona' }).click()
    const modal = page.getByTestId('variations-modal')
    const values = page.getByTestId('variations-values-0')
    for (const age of ['20', '60']) {
      await values.fill(age)
      await values.press('Enter')
    }
    await expect(page.getByTestId('variations-count')).toHaveText('2 new personas: Test Persona-1, Test Persona-2')
    await page.getByTestId('variations-generate').click()
    await expect(modal).toBeHidden()
    await expect(page.locator('[data-testid="personas-row"][data-id="test-persona-2"]')).toContainText('60')
    expect(await app.call('personas.get', { id: 'test-persona-1' })).toMatchObject({ username: 'Test Persona-1', age: 20, education_level: 'MSc' })
    expect(errors).toEqual([])
  })

  test('shows the exact prompt a persona would receive, live while instructions are edited', async () => {
    const { page } = app
    const errors = watchConsole(page)
    await app.open('/library/instructions')
    await page.locator('[data-testid="instructions-row"][data-id="example-user-plain"]').click()
    const preview = page.getByTestId('prompt-preview')
    await expect(preview.getByTestId('preview-raw')).toContainText('### Instruction:')
    await page.getByTestId('instruction-text').fill('Reply in exactly one sentence. ZEBRA-MARKER')
    await expect(preview.getByTestId('preview-raw')).toContainText('ZEBRA-MARKER')
    await preview.getByText('Chat', { exact: true }).click()
    await expect(preview.getByTestId('preview-system')).toContainText('ZEBRA-MARKER')
    await page.screenshot({ path: app.artifact('instruction-preview.png'), fullPage: true })
    expect(errors).toEqual([])
  })

  test('builds an annotator spec with labels, refusing a label name that is not snake_case', async () => {
    const { page } = app
    const errors = watchConsole(page)
    await app.open('/library/annotators')
    // The shortcut works once the page is up.
    await expect(page.getByTestId('annotators-table')).toBeVisible()
    await page.keyboard.press('Control+n')
    const form = page.getByTestId('annotator-form')
    await page.getByTestId('annotator-name').fill('Civility')
    await page.getByTestId('label-0-name').fill('Civility Score')
    await page.getByTestId('annotator-rationale').check()
    await page.getByTestId('annotator-save').click()
    await expect(form.getByText('Use snake_case')).toBeVisible()
    await page.getByTestId('label-0-name').fill('civility')
    await page.getByTestId('annotator-save').click()
    await expect(form).toBeHidden()
    const stored = (await app.call('annotators.get', { id: 'civility' })) as { labels: unknown[] }
    expect(stored.labels).toEqual([
      { name: 'civility', type: 'integer', description: '', min: 1, max: 5 },
      { name: 'rationale', type: 'text', description: '', max_length: 500 }
    ])
    expect(errors).toEqual([])
  })

  test('creates a topic with a seed comment through the form, after showing field errors', async () => {
    const { page } = app
    const errors = watchConsole(page)
    await app.open('/library/topics')
    await page.getByTestId('topics-new').click()
    const form = page.getByTestId('topic-form')
    await page.getByTestId('topic-add-seed').click()
    await page.getByTestId('topic-save').click()
    await expect(form.getByText('Give the topic a title')).toBeVisible()
    await expect(form.getByText('Write the post or statement')).toBeVisible()
    await expect(form.getByText('A seed comment needs text')).toBeVisible()

    await page.getByTestId('topic-title').fill('Four-day week')
    await page.getByTestId('topic-text').fill('Should the working week be four days long?')
    await form.getByLabel('Seed 1 text').fill('It worked at my company.')
    await page.getByTestId('topic-save').click()
    await expect(form).toBeHidden()
    await expect(page.locator('[data-testid="topics-row"][data-id="four-day-week"]')).toContainText('Four-day week')
    const stored = (await app.call('topics.get', { id: 'four-day-week' })) as Record<string, unknown>
    expect(stored).toMatchObject({ title: 'Four-day week', seed_comments: [{ author: null, text: 'It worked at my company.' }] })
    expect(errors).toEqual([])
  })

  test('imports a folder of SDF files from the import page and reports what came in and what was rejected', async () => {
    const { page } = app
    const errors = watchConsole(page)
    await app.open('/import')
    await page.getByTestId('import-folder-input').setInputFiles(join(folders, 'sdf-v0.2'))
    const report = page.getByTestId('import-report')
    await expect(report).toBeVisible({ timeout: 30_000 })
    await expect(page.getByTestId('import-count-discussions')).toHaveText('1 discussion')
    await expect(page.getByTestId('import-count-personas')).not.toHaveText('0 personas')
    await expect(page.getByTestId('import-rejected-count')).toHaveText(/^1 file was rejected/)
    const rejection = page.getByTestId('import-rejections').getByRole('row', { name: /broken\.json/ })
    await expect(rejection).toContainText('sdf-v0.2/broken.json')
    await page.screenshot({ path: app.artifact('import-report.png'), fullPage: true })
    const summary = (await app.call('workspace.summary')) as { counts: Record<string, number> }
    expect(summary.counts['discussions']).toBe(1)
    // The rejection is reported by a toast as well: an expected "error", not a console error.
    expect(errors).toEqual([])
  })

  test('designs 4 discussions, previews them with an estimate, and saves the design', async () => {
    const { page } = app
    const errors = watchConsole(page)
    await app.open('/designer')
    await page.getByTestId('design-name').fill('Four discussions')
    await pick(page, 'design-personas', ['quietlibrarian', 'DieselDad74', 'nadia.codes'])
    await page.getByTestId('design-usersPerDiscussion').fill('2')
    await pick(page, 'design-topics', ['Should employers be able to order staff back to the office?', 'Four-day week'])
    await pick(page, 'design-user-instructions', ['Plain forum user (example)'])
    await page.getByTestId('design-models').fill('demo-model.gguf')
    await page.getByTestId('design-models').press('Enter')
    await page.getByTestId('design-replicates').fill('2')

    await expect(page.getByTestId('design-discussions')).toHaveText('4', { timeout: 15_000 })
    await expect(page.getByTestId('design-spec-row')).toHaveCount(4)
    await expect(page.getByTestId('design-tokens')).not.toHaveText('0')
    await expect(page.getByTestId('design-specs')).toContainText('Four-day week')

    // Too many users for the pool is a field error, and the preview says what to fix.
    await page.getByTestId('design-usersPerDiscussion').fill('5')
    await expect(page.getByTestId('design-problem')).toContainText('pool holds 3 personas')

    await page.getByTestId('design-usersPerDiscussion').fill('2')
    await expect(page.getByTestId('design-discussions')).toHaveText('4', { timeout: 15_000 })
    await page.screenshot({ path: app.artifact('designer-4-discussions.png'), fullPage: true })
    await page.getByTestId('design-save').click()
    await expect(page.getByText('Design saved')).toBeVisible()
    const design = (await app.call('designs.get', { id: 'four-discussions' })) as { replicates: number; factors: { topics: string[] } }
    expect(design.replicates).toBe(2)
    expect(design.factors.topics).toEqual(['example-topic-remote-work', 'four-day-week'])
    expect(errors).toEqual([])
  })
})
