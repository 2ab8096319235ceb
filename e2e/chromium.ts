/**
 * How the test and benchmark suites start Debian's Chromium: Playwright cannot download browsers
 * here, and without the background-networking flags Chromium keeps dialling hosts this machine
 * cannot reach.
 */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic'
]
