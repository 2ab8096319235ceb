import { defineConfig } from '@playwright/test'
import type { Host } from './e2e/appUnderTest.js'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './e2e/chromium.js'

// Two projects run the same UI specs, one per host (e2e/appUnderTest.ts reads `host`):
// - web: Debian's Chromium (Playwright cannot download its own browsers here; CHROMIUM_PATH overrides
//   the path) against `bin/sdf serve`, which the suites start themselves (e2e/serveProcess.ts), because
//   the reconnect tests stop and restart it.
// - desktop: the Electron app through Playwright's `_electron`. Always listed; where no Electron binary
//   is installed every one of its tests is skipped, saying why (see e2e/README.md).
// `npm test` runs this with `--reporter=list,json`; `--project=web` or `--project=desktop` runs one host.
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  reporter: 'list',
  use: {
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS
    }
  },
  projects: [
    // The token URL, its cookie, a refused stranger and a server restart belong to the web host alone.
    { name: 'web', use: { host: 'web' satisfies Host }, testIgnore: 'electron.spec.ts' },
    // The preload bridge and a page with no Node belong to the desktop alone.
    { name: 'desktop', use: { host: 'desktop' satisfies Host }, testIgnore: 'serve.spec.ts' }
  ]
})
