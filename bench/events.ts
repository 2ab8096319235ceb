// Event throughput through `sdf serve`: synthetic token streams → coalesced batches → WebSocket →
// a Chromium page that renders one pane per stream. Measures the page's frame times
// (requestAnimationFrame deltas) and the server process's CPU (process.cpuUsage, via the testing
// methods). Run: npm run bench:events -- [--streams 64] [--rate 2000] [--seconds 20]
// Results: printed, and written to bench/results/events-<time>.json (git-ignored).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, platform, release, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { chromium, type Page } from '@playwright/test'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium.js'
import { callServeApi } from '../e2e/serveProcess.js'

const ROOT = join(import.meta.dirname, '..')
const TOKEN = 'bench-token-0123456789abcdef0123456789'

const { values } = parseArgs({
  options: {
    streams: { type: 'string', default: '64' },
    rate: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '20' },
    idle: { type: 'string', default: '5' }
  }
})
const streams = Number(values.streams)
const rate = Number(values.rate)
const seconds = Number(values.seconds)
const idleSeconds = Number(values.idle)

function startServer(workspace: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'sdf'), 'serve', '--workspace', workspace, '--port', '0', '--token', TOKEN], {
    cwd: ROOT,
    env: { ...process.env, SDF_SERVE_TESTING: '1' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const url = /(http:\/\/\S+\?token=\S+)/.exec(output)?.[1]
      if (url !== undefined) resolve({ child, url })
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.on('exit', (code) => reject(new Error(`sdf serve exited with ${code}:\n${output}`)))
  })
}

const call = (port: number, method: string, input: unknown = {}) => callServeApi(port, TOKEN, method, input)

interface Usage {
  userMicros: number
  systemMicros: number
  rssBytes: number
}

/** Frame-time recording in the page (strings: this file is type-checked without the DOM library). */
const START_FRAMES = `(() => {
  window.frameDeltas = []
  let last = performance.now()
  const tick = (now) => { window.frameDeltas.push(now - last); last = now; if (!window.stopFrames) requestAnimationFrame(tick) }
  window.stopFrames = false
  requestAnimationFrame(tick)
})()`
const STOP_FRAMES = `(() => { window.stopFrames = true; return window.frameDeltas.slice(1) })()`

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number
}

function frameStats(deltas: number[]) {
  const sorted = [...deltas].sort((a, b) => a - b)
  const round = (n: number) => Math.round(n * 10) / 10
  return {
    frames: deltas.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? NaN),
    over50ms: deltas.filter((d) => d > 50).length
  }
}

async function rendererBusy(page: Page): Promise<() => Promise<{ taskMs: number; scriptMs: number }>> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable')
  const read = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics')
    const value = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0
    return { task: value('TaskDuration'), script: value('ScriptDuration') }
  }
  const before = await read()
  return async () => {
    const after = await read()
    return { taskMs: Math.round((after.task - before.task) * 1000), scriptMs: Math.round((after.script - before.script) * 1000) }
  }
}

async function measure(page: Page, port: number, durationMs: number, startStreams: boolean) {
  const usageBefore = (await call(port, 'testing.usage')) as Usage
  const busy = await rendererBusy(page)
  await page.evaluate(START_FRAMES)
  const started = performance.now()
  if (startStreams) await call(port, 'testing.streams.start', { streams, tokensPerSecond: rate, durationMs })
  await new Promise((resolve) => setTimeout(resolve, durationMs))
  const deltas = (await page.evaluate(STOP_FRAMES)) as number[]
  const wallMs = performance.now() - started
  const usageAfter = (await call(port, 'testing.usage')) as Usage
  const renderer = await busy()
  const cpuMs = (usageAfter.userMicros - usageBefore.userMicros + usageAfter.systemMicros - usageBefore.systemMicros) / 1000
  return {
    frames: frameStats(deltas),
    server: { cpuPercentOfOneCore: Math.round((cpuMs / wallMs) * 1000) / 10, cpuMs: Math.round(cpuMs), rssMiB: Math.round(usageAfter.rssBytes / 2 ** 20) },
    renderer: { ...renderer, busyPercent: Math.round((renderer.taskMs / wallMs) * 1000) / 10 }
  }
}

const base = await mkdtemp(join(tmpdir(), 'sdf-bench-events-'))
const { child, url } = await startServer(join(base, 'workspace'))
const port = Number(new URL(url).port)
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
  await page.goto(url)
  await page.locator('[data-testid="connection-state"][data-state="open"]').waitFor()
  process.stderr.write(`measuring idle for ${idleSeconds} s…\n`)
  const idle = await measure(page, port, idleSeconds * 1000, false)
  process.stderr.write(`measuring ${streams} streams at ${rate} tokens/s for ${seconds} s…\n`)
  const load = await measure(page, port, seconds * 1000, true)
  // Everything sent must have arrived, once: every pane done, with all of its tokens.
  await page.locator('[data-testid="stream-pane"][data-done="true"]').nth(streams - 1).waitFor({ timeout: 30_000 })
  const delivered = await page.locator('[data-testid="stream-pane"]').evaluateAll((panes) =>
    panes.reduce((sum, pane) => sum + Number((pane as unknown as { dataset: Record<string, string> }).dataset['next']), 0)
  )
  const result = {
    date: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      os: `${platform()} ${release()}`,
      node: process.version,
      chromium: browser.version()
    },
    setup: { streams, tokensPerSecond: rate, seconds, batchWindowMs: 30, panes: streams },
    delivered: { tokens: delivered, expected: Math.floor(rate * seconds) },
    idle,
    load
  }
  await mkdir(join(ROOT, 'bench', 'results'), { recursive: true })
  const file = join(ROOT, 'bench', 'results', `events-${result.date.replace(/[:.]/g, '-')}.json`)
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`)
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
  process.stderr.write(`written to ${file}\n`)
} finally {
  await browser.close()
  child.kill('SIGINT')
  await new Promise((resolve) => child.once('exit', resolve))
  await rm(base, { recursive: true, force: true })
}
