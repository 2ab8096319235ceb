import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type AppUnderTest } from './appUnderTest.js'
import { pick, watchConsole } from './pageHelpers.js'

/**
 * A Conversations-Gone-Awry-like file whose text column has a name the page cannot guess
 * (`comment_body`), with a quoted comma, a line break inside a field, missing reply_to values,
 * a duplicate message id (line 7) and a byte that is not UTF-8 (line 9).
 */
const CSV = Buffer.concat([
  Buffer.from(
    [
      'conv_id,message_id,reply_to,user,escalated,comment_body',
      'c1,m1,,alice,False,"Opening post, with a comma"',
      'c1,m2,m1,bob,False,"A reply',
      'over two lines"',
      'c1,m3,m2,carol,True,Deeper reply that escalates',
      'c1,m4,m1,dave,False,Another direct reply',
      'c1,m2,m1,eve,False,A duplicate of m2',
      'c2,n1,,frank,False,The second thread opens',
      'c2,n2,n1,gina,True,Caf'
    ].join('\n')
  ),
  Buffer.from([0xe9]),
  Buffer.from(' reply in the second thread\n')
])

test.describe('corpora of real threads', () => {
  let app: AppUnderTest
  let folder: string
  let csvPath: string

  test.beforeAll(async ({ launchApp }) => {
    app = await launchApp()
    folder = await mkdtemp(join(tmpdir(), 'sdf-e2e-corpus-'))
    csvPath = join(folder, 'cga-sample.csv')
    await writeFile(csvPath, CSV)
  })

  test.afterAll(async () => {
    await app?.dispose()
    // Unset when the group was skipped before its beforeAll made it.
    if (folder !== undefined) await rm(folder, { recursive: true, force: true })
  })

  test('imports a thread CSV through the column-mapping dialog and reports the rejected row', async () => {
    const { page } = app
    const errors = watchConsole(page)
    await app.open('/')
    await page.getByRole('link', { name: 'Corpora' }).click()
    await expect(page.getByTestId('empty-state')).toContainText('No corpus yet')
    await page.screenshot({ path: app.artifact('corpus-empty.png'), fullPage: true })

    const chooser = page.waitForEvent('filechooser')
    await page.getByTestId('corpus-import').click()
    await (await chooser).setFiles(csvPath)
    const dialog = page.getByTestId('corpus-mapping')
    await expect(dialog).toBeVisible()
    // The obvious columns are chosen; the text column has an unusual name, so the dialog asks.
    await expect(page.getByTestId('corpus-map-conv_id')).toHaveValue('conv_id')
    await expect(page.getByTestId('corpus-map-reply_to')).toHaveValue('reply_to')
    await expect(page.getByTestId('corpus-map-flag')).toHaveValue('escalated')
    await expect(page.getByTestId('corpus-mapping-problems')).toContainText('Choose the column that holds the text')
    await expect(page.getByTestId('corpus-import-submit')).toBeDisabled()
    await page.getByTestId('corpus-map-text').click()
    await page.getByRole('option', { name: 'comment_body', exact: true }).click()
    await expect(page.getByTestId('corpus-mapping-problems')).toBeHidden()
    await expect(page.getByTestId('corpus-name')).toHaveValue('cga-sample')
    await page.getByTestId('corpus-as-discussions').check()
    await page.screenshot({ path: app.artifact('corpus-mapping-dialog.png') })
    await page.getByTestId('corpus-import-submit').click()

    const report = page.getByTestId('corpus-report')
    await expect(report).toBeVisible({ timeout: 30_000 })
    await expect(page.getByTestId('corpus-report-threads')).toHaveText('2')
    await expect(page.getByTestId('corpus-report-comments')).toHaveText('6')
    await expect(page.getByTestId('corpus-report-rejected-count')).toHaveText('1')
    await expect(page.getByTestId('corpus-report-flagged')).toHaveText('2')
    const rejection = page.getByTestId('corpus-report-rejections').getByRole('row', { name: /duplicate message id "m2"/ })
    await expect(rejection).toContainText('7')
    await expect(page.getByTestId('corpus-report-warnings')).toContainText(/UTF-8/i)
    await expect(page.getByTestId('corpus-report-discussions')).toContainText('2 threads also stored as discussions')
    await page.screenshot({ path: app.artifact('corpus-import-report.png'), fullPage: true })

    await expect(page.locator('[data-testid="corpus-row"][data-id="cga-sample"]')).toContainText('6')
    const listing = (await app.call('corpus.list')) as { items: { id: string; columns: { text: string; flag: string | null } }[] }
    expect(listing.items.map((corpus) => [corpus.id, corpus.columns.text, corpus.columns.flag])).toEqual([['cga-sample', 'comment_body', 'escalated']])
    // The threads are discussions too, to annotate and chart beside synthetic ones.
    const summary = (await app.call('workspace.summary')) as { counts: Record<string, number> }
    expect(summary.counts['discussions']).toBe(2)
    expect(errors.filter((error) => !/Could not import/.test(error))).toEqual([])
  })

  test('browses the threads and opens one as a reply tree, the multi-line comment intact', async () => {
    const { page } = app
    const errors = watchConsole(page)
    await app.open('/corpus')
    await page.locator('[data-testid="corpus-row"][data-id="cga-sample"]').click()
    const rows = page.getByTestId('corpus-thread-row')
    await expect(rows).toHaveCount(2)
    await expect(rows.first()).toContainText('Opening post, with a comma')
    await page.screenshot({ path: app.artifact('corpus-threads.png'), fullPage: true })
    await page.locator('[data-testid="corpus-thread-row"][data-id="c1"]').getByRole('link', { name: 'c1' }).click()

    const comments = page.getByTestId('corpus-comment')
    await expect(comments).toHaveCount(4)
    const depths = await comments.evaluateAll((nodes) => nodes.map((node) => [node.getAttribute('data-id'), node.getAttribute('data-depth')]))
    expect(depths).toEqual([
      ['m1', '0'],
      ['m2', '1'],
      ['m3', '2'],
      ['m4', '1']
    ])
    const reply = page.locator('[data-testid="corpus-comment"][data-id="m2"]')
    expect(await reply.getByTestId('corpus-comment-text').innerText()).toBe('A reply\nover two lines')
    await expect(page.locator('[data-testid="corpus-comment"][data-id="m3"]').getByTestId('corpus-comment-flagged')).toHaveText('escalated')
    // Replies sit further right than what they answer.
    const left = async (id: string) => (await page.locator(`[data-testid="corpus-comment"][data-id="${id}"] > div`).boundingBox())?.x ?? 0
    expect(await left('m3')).toBeGreaterThan(await left('m2'))
    expect(await left('m2')).toBeGreaterThan(await left('m1'))
    await page.screenshot({ path: app.artifact('corpus-thread-tree.png'), fullPage: true })
    await page.emulateMedia({ colorScheme: 'dark' })
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark')
    await page.screenshot({ path: app.artifact('corpus-thread-tree-dark.png'), fullPage: true })
    // The page is shared with the tests that follow.
    await page.emulateMedia({ colorScheme: 'light' })
    expect(errors).toEqual([])
  })

  test('pages through a corpus of many threads as the list scrolls', async () => {
    const { page } = app
    const errors = watchConsole(page)
    const lines = ['conv_id,message_id,reply_to,user,text']
    for (let thread = 0; thread < 700; thread += 1) {
      const id = `t${String(thread).padStart(4, '0')}`
      lines.push(`${id},a,,ann,Thread ${id} opens`, `${id},b,a,ben,A reply in ${id}`)
    }
    await app.call('corpus.import', { fileName: 'many.csv', content: lines.join('\n') })
    await app.open('/corpus/many')
    const list = page.getByTestId('corpus-threads')
    await expect(page.getByTestId('corpus-thread-row').first()).toContainText('t0000')
    // Only the rows in view are in the page, however long the corpus.
    expect(await page.getByTestId('corpus-thread-row').count()).toBeLessThan(60)
    await list.evaluate((node) => (node.scrollTop = node.scrollHeight))
    await expect(page.locator('[data-testid="corpus-thread-row"][data-id="t0699"]')).toContainText('Thread t0699 opens')
    expect(errors).toEqual([])
  })

  test('designs discussions seeded with flagged comment pairs from the corpus, and the preview shows them', async () => {
    const { page } = app
    const errors = watchConsole(page)
    await app.open('/designer')
    await page.getByTestId('design-name').fill('Seeded from CGA')
    await pick(page, 'design-personas', ['quietlibrarian', 'DieselDad74'])
    await page.getByTestId('design-usersPerDiscussion').fill('2')
    await pick(page, 'design-topics', ['Should employers be able to order staff back to the office?'])
    await pick(page, 'design-user-instructions', ['Plain forum user (example)'])
    await page.getByTestId('design-models').fill('demo-model.gguf')
    await page.getByTestId('design-models').press('Enter')
    await page.getByTestId('design-replicates').fill('2')
    await expect(page.getByTestId('design-discussions')).toHaveText('2', { timeout: 15_000 })
    await expect(page.getByTestId('design-spec-seed-comments').first()).toHaveText('topic')

    await page.getByTestId('design-seed-kind').getByText('Sampled from a corpus').click()
    await page.getByTestId('design-seed-corpus').click()
    await page.getByRole('option', { name: /cga-sample/ }).click()
    await page.getByTestId('design-seed-truncate').fill('12')
    await page.getByTestId('design-seed-flagged').check()

    // Two windows end at a flagged comment that does not open its thread: one per thread.
    const seeds = page.getByTestId('design-spec-seed-comments')
    await expect(seeds).toHaveCount(2)
    await expect(seeds.nth(0)).toHaveText(/^c[12] · /, { timeout: 15_000 })
    await expect(seeds.nth(1)).toHaveText(/^c[12] · /)
    const threads = (await seeds.allInnerTexts()).map((text) => text.slice(0, 2)).sort()
    expect(threads).toEqual(['c1', 'c2'])
    await page.screenshot({ path: app.artifact('designer-corpus-seeds.png'), fullPage: true })

    await page.getByTestId('design-save').click()
    await expect(page.getByText('Design saved')).toBeVisible()
    const design = (await app.call('designs.get', { id: 'seeded-from-cga' })) as { factors: { seed_source?: unknown } }
    expect(design.factors.seed_source).toEqual({ corpus_id: 'cga-sample', k: 2, only_flagged: true, truncate_to: 12, reuse: false, assign: 'each-discussion' })
    const preview = (await app.call('designs.preview', { design, limit: 10 })) as { specs: { seed_comments: { text: string }[]; seed_provenance: { message_ids: string[] } }[] }
    const windows = preview.specs.map((spec) => spec.seed_provenance.message_ids.join('>')).sort()
    expect(windows).toEqual(['m2>m3', 'n1>n2'])
    for (const spec of preview.specs) for (const comment of spec.seed_comments) expect([...comment.text].length).toBeLessThanOrEqual(12)

    // Reopened, the design shows its corpus seeds with no "cannot be edited" warning.
    await page.reload()
    await page.getByTestId('design-open').click()
    await page.getByRole('option', { name: 'Seeded from CGA' }).click()
    await expect(page.getByTestId('design-seed-corpus')).toHaveValue(/cga-sample/)
    await expect(page.getByText('Parts of this design cannot be edited here')).toBeHidden()
    expect(errors).toEqual([])
  })
})
