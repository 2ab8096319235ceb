import { defineConfig } from '@playwright/test'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './e2e/chromium.js'

// Playwright drives Debian's Chromium (it cannot download its own browsers here): CHROMIUM_PATH
// overrides the path. The suites start `bin/sdf serve` themselves (e2e/serveProcess.ts), because the
// reconnect tests stop and restart it. `npm test` runs this with `--reporter=list,json`.
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
  }
})
