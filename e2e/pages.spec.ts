import { join } from 'node:path'
import { expect, test, type AppUnderTest } from './appUnderTest.js'
import { REPO_ROOT, runSdf } from './serveProcess.js'
import { watchConsole } from './pageHelpers.js'

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'sdf')

/** Every route of src/renderer/src/routes.tsx, by the label its navigation link shows. */
const ROUTES = [
  { path: '/', label: 'Overview', heading: 'Overview' },
  { path: '/import', label: 'Import', heading: 'Import' },
  { path: '/library/personas', label: 'Personas', heading: 'Personas' },
  { path: '/library/topics', label: 'Topics', heading: 'Topics' },
  { path: '/library/instructions', label: 'Instructions', heading: 'Instructions' },
  { path: '/library/annotators', label: 'Annotators', heading: 'Annotators' },
  { path: '/corpus', label: 'Corpora', heading: 'Corpora' },
  { path: '/designer', label: 'Designer', heading: 'Experiment designer' },
  { path: '/runs', label: 'Runs', heading: null },
  { path: '/transcripts', label: 'Transcripts', heading: null },
  { path: '/annotate', label: 'Annotation', heading: null },
  { path: '/analysis', label: 'Analysis', heading: null },
  { path: '/models', label: 'Models', heading: null },
  { path: '/settings', label: 'Settings', heading: 'Settings' }
] as const

const slug = (path: string) => (path === '/' ? 'overview' : path.slice(1).replace(/\//g, '-'))

test.describe('every page renders in light and dark mode', () => {
  let app: AppUnderTest

  test.beforeAll(async ({ launchApp }) => {
    // A workspace with the starter library and one imported SDF study, so pages have something to show.
    app = await launchApp({ prepare: (workspace) => runSdf(['import', join(FIXTURES, 'v0.2'), '--workspace', workspace]) })
  })

  test.afterAll(async () => {
    await app?.dispose()
  })

  for (const scheme of ['light', 'dark'] as const) {
    test(`every route renders without console errors in ${scheme} mode, with a screenshot of each`, async () => {
      test.setTimeout(180_000)
      const { page } = app
      const errors = watchConsole(page)
      await page.emulateMedia({ colorScheme: scheme })
      await page.setViewportSize({ width: 1366, height: 900 })
      await app.open('/')
      await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open')
      await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', scheme)
      for (const route of ROUTES) {
        await app.open(route.path)
        await expect(page.getByTestId(`nav-${route.label.toLowerCase()}`)).toHaveAttribute('data-active', 'true')
        const main = page.locator('main')
        if (route.heading !== null) await expect(main.getByRole('heading', { level: 2, name: route.heading })).toBeVisible()
        else await expect(main.getByRole('heading', { level: 2 }).first()).toBeVisible()
        // Let data arrive (lists, previews) before the picture is taken.
        await page.waitForLoadState('networkidle')
        await page.waitForTimeout(400)
        await page.screenshot({ path: app.artifact(`page-${slug(route.path)}-${scheme}.png`), fullPage: true })
        expect(errors, `console errors on ${route.path} (${scheme})`).toEqual([])
      }
    })
  }
})
