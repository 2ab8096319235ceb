// `npm run bench:load-serve [-- --discussions 10000 --comments 12 --reps 10 --pages 100 --opens 200 --rounds 20]`
//
// Load: a workspace of --discussions synthetic discussions (each with --comments comments and one
// annotator's labels) served by the real `sdf serve` in a child process, browsed over its
// WebSocket API the way the UI does: workspace.summary (Overview), discussions.search pages with
// filters, text search and sorting (Transcripts), discussions.get and annotations.list of the
// transcripts opened from those pages, runs.list, and a page of the record listing
// (discussions.list). Reports latency percentiles per method, the server's RSS (from /proc,
// sampled every 100 ms) idle, while browsing, with four page requests in flight at once and after,
// and whether `app.info` stays fast meanwhile (the UI staying responsive). "Nothing lost": paging
// through discussions.search and through discussions.list each yields every id exactly once.
import { spawn } from 'node:child_process'
import { readFile, rm, writeFile, mkdtemp } from 'node:fs/promises'
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { WebSocket } from 'ws'
import { parseArgs } from './lib/args.js'
import { writeSyntheticWorkspace } from './lib/syntheticWorkspace.js'

const args = parseArgs(process.argv.slice(2))
const discussions = Number(args.get('discussions') ?? 10_000)
const comments = Number(args.get('comments') ?? 12)
const reps = Number(args.get('reps') ?? 10)
const pages = Number(args.get('pages') ?? 100)
const opens = Number(args.get('opens') ?? 200)
const rounds = Number(args.get('rounds') ?? 20)
const PAGE_SIZE = 100
const keep = args.get('keep') === 'true'
const root = fileURLToPath(new URL('..', import.meta.url))
const token = 'load-bench-token-0123456789abcdef'

const folder = await mkdtemp(join(tmpdir(), 'sdf-load-serve-'))
let started = performance.now()
const written = await writeSyntheticWorkspace(folder, { discussions, commentsPerDiscussion: comments, annotators: 1, seed: 1 })
const writeSeconds = (performance.now() - started) / 1000
console.error(`wrote ${written.discussions} discussions, ${written.comments} comments, ${written.annotations} annotations, ${(written.bytes / 1024 / 1024).toFixed(0)} MiB in ${writeSeconds.toFixed(1)} s`)

const child = spawn(process.execPath, [join(root, 'bin', 'sdf'), 'serve', '--workspace', folder, '--port', '0'], {
  cwd: root,
  env: { ...process.env, SDF_SERVE_TOKEN: token },
  stdio: ['ignore', 'pipe', 'pipe']
})
let output = ''
child.stdout.on('data', (piece: Buffer) => (output += piece.toString()))
child.stderr.on('data', (piece: Buffer) => (output += piece.toString()))
started = performance.now()
const port = await new Promise<number>((resolve, reject) => {
  const timer = setInterval(() => {
    const match = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(output)
    if (match) {
      clearInterval(timer)
      resolve(Number(match[1]))
    } else if (child.exitCode !== null) {
      clearInterval(timer)
      reject(new Error(`sdf serve exited: ${output}`))
    }
  }, 20)
})
const startSeconds = (performance.now() - started) / 1000
console.error(`sdf serve (pid ${child.pid}) listening on ${port} after ${startSeconds.toFixed(1)} s`)

async function rssMiB(): Promise<number> {
  const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '')
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return kib / 1024
}
const rss: { phase: string; mib: number }[] = []
let phase = 'idle'
const sampler = setInterval(() => void rssMiB().then((mib) => rss.push({ phase, mib })), 100)

const socket = new WebSocket(`ws://127.0.0.1:${port}/api`, { headers: { authorization: `Bearer ${token}` }, maxPayload: 1024 * 1024 * 1024 })
await new Promise((resolve, reject) => {
  socket.once('open', resolve)
  socket.once('error', reject)
})
let nextId = 1
const waiting = new Map<number, { resolve: (value: { ok: boolean; value?: unknown; error?: unknown; bytes: number }) => void }>()
socket.on('message', (data: Buffer) => {
  const message = JSON.parse(data.toString()) as { type: string; id?: number; result?: { ok: boolean; value?: unknown; error?: unknown } }
  if (message.type !== 'result' || message.id === undefined) return
  waiting.get(message.id)?.resolve({ ...message.result!, bytes: data.length })
  waiting.delete(message.id)
})
let closedBecause: string | null = null
socket.on('close', (code, reason) => {
  closedBecause = `the server closed the connection (${code} ${reason.toString()})`
  for (const [, pending] of waiting) pending.resolve({ ok: false, error: closedBecause, bytes: 0 })
  waiting.clear()
})
const CALL_TIMEOUT_MS = Number(args.get('call-timeout-ms') ?? 180_000)
function call(method: string, input: unknown = {}): Promise<{ ms: number; bytes: number; value: unknown }> {
  const id = nextId++
  const sent = performance.now()
  return new Promise((resolve, reject) => {
    if (closedBecause) return reject(new Error(`${method}: ${closedBecause}`))
    const timer = setTimeout(() => {
      waiting.delete(id)
      reject(new Error(`${method}: no answer within ${CALL_TIMEOUT_MS} ms`))
    }, CALL_TIMEOUT_MS)
    waiting.set(id, {
      resolve: (result) => {
        clearTimeout(timer)
        if (!result.ok) reject(new Error(`${method}: ${JSON.stringify(result.error)}`))
        else resolve({ ms: performance.now() - sent, bytes: result.bytes, value: result.value })
      }
    })
    socket.send(JSON.stringify({ type: 'call', id, method, input }))
  })
}

interface Latency {
  method: string
  calls: number
  medianMs: number
  p95Ms: number
  p99Ms: number
  maxMs: number
  /** Size of the largest answer. */
  maxBytes: number
}
const latencies: Latency[] = []
function percentiles(method: string, times: number[], maxBytes: number): Latency {
  const sorted = [...times].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  return { method, calls: sorted.length, medianMs: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99), maxMs: sorted.at(-1) ?? 0, maxBytes }
}
async function measure<T>(method: string, inputs: (index: number) => unknown, count: number, label = method): Promise<T[]> {
  const times: number[] = []
  const values: T[] = []
  let maxBytes = 0
  console.error(`  ${label} × ${count}…`)
  for (let index = 0; index < count; index++) {
    const answer = await call(method, inputs(index))
    times.push(answer.ms)
    maxBytes = Math.max(maxBytes, answer.bytes)
    values.push(answer.value as T)
  }
  latencies.push(percentiles(label, times, maxBytes))
  return values
}

let seed = 7
const random = (below: number) => {
  seed = (seed * 1103515245 + 12345) % 2147483648
  return below <= 0 ? 0 : seed % below
}

interface SearchPage {
  total: number
  items: { id: string; title: string }[]
  conditionKeys: { key: string; values: string[] }[]
  models: string[]
}

await call('app.info')
phase = 'browsing'
const idle = await rssMiB()
await measure('app.info', () => ({}), reps)
// The first summary and the first search read the workspace (the summary counts journal lines,
// the search builds its index); later ones answer from what they remembered.
const [summary] = await measure<Record<string, unknown>>('workspace.summary', () => ({}), 1, 'workspace.summary (first)')
await measure('workspace.summary', () => ({}), reps)
const [firstPage] = await measure<SearchPage>('discussions.search', () => ({ offset: 0, limit: PAGE_SIZE }), 1, 'discussions.search (first)')
const conditionKeys = firstPage?.conditionKeys ?? []
const models = firstPage?.models ?? []
const words = (firstPage?.items ?? []).flatMap((item) => item.title.split(/\s+/)).filter((word) => /^[a-z]{4,}$/i.test(word))
// What the Transcripts page asks for: plain pages, a condition filter, a model, words, a sort.
const searchInputs = (index: number): Record<string, unknown> => {
  const total = firstPage?.total ?? discussions
  const offset = random(Math.max(1, Math.floor(total / PAGE_SIZE))) * PAGE_SIZE
  const key = conditionKeys[index % Math.max(1, conditionKeys.length)]
  switch (index % 5) {
    case 0:
      return { offset, limit: PAGE_SIZE }
    case 1:
      return key ? { conditions: { [key.key]: key.values[random(key.values.length)] ?? '' }, offset: 0, limit: PAGE_SIZE } : { offset, limit: PAGE_SIZE }
    case 2:
      return models.length > 0 ? { model: models[random(models.length)], offset: 0, limit: PAGE_SIZE } : { offset, limit: PAGE_SIZE }
    case 3:
      return { text: words[random(words.length)] ?? 'the', offset: 0, limit: PAGE_SIZE }
    default:
      return { sort: { by: 'commentCount', descending: true }, offset, limit: PAGE_SIZE }
  }
}
const searched = await measure<SearchPage>('discussions.search', searchInputs, pages, 'discussions.search (page)')
const shown = searched.flatMap((page) => page.items.map((item) => item.id))
const opened = () => shown[random(shown.length)] ?? 'bench-000000'
await measure('discussions.get', () => ({ id: opened() }), opens, 'discussions.get (opened)')
await measure('annotations.list', () => ({ discussionId: opened() }), opens, 'annotations.list (opened)')
await measure('runs.list', () => ({}), reps)
await measure('discussions.list', () => ({ offset: random(Math.max(1, Math.floor(discussions / 500))) * 500, limit: 500 }), reps, 'discussions.list (500)')

// Nothing lost: every id once, paging the way a client pages.
async function pageThrough(method: string, limit: number, next: (page: Record<string, unknown>, offset: number) => number | null): Promise<string[]> {
  const ids: string[] = []
  let offset: number | null = 0
  while (offset !== null) {
    const page = (await call(method, { offset, limit })).value as { items: { id: string }[] } & Record<string, unknown>
    ids.push(...page.items.map((item) => item.id))
    offset = page.items.length === 0 ? null : next(page, offset)
  }
  return ids
}
console.error('  paging through every discussion…')
started = performance.now()
const searchIds = await pageThrough('discussions.search', 1000, (page, offset) => (offset + 1000 < (page['total'] as number) ? offset + 1000 : null))
const searchPagingSeconds = (performance.now() - started) / 1000
started = performance.now()
const listIds = await pageThrough('discussions.list', 500, (page) => page['nextOffset'] as number | null)
const listPagingSeconds = (performance.now() - started) / 1000
const everyOnce = (ids: string[]) => ids.length === discussions && new Set(ids).size === discussions

// Responsiveness: app.info while four page requests are in flight at once, for --rounds rounds.
// A failure here (the server dropping the connection) is a finding, recorded, not a crash.
phase = 'concurrent'
const concurrentTimes: number[] = []
let concurrentMaxBytes = 0
const pings: number[] = []
let concurrentError: string | null = null
console.error(`  4 page requests at once × ${rounds}…`)
try {
  for (let round = 0; round < rounds; round++) {
    const requests = [
      call('discussions.search', searchInputs(round * 4)),
      call('discussions.search', searchInputs(round * 4 + 3)),
      call('discussions.search', searchInputs(round * 4 + 1)),
      call('discussions.list', { offset: random(Math.max(1, Math.floor(discussions / 500))) * 500, limit: 500 })
    ]
    const all = Promise.all(requests)
    let done = false
    void all.then(
      () => (done = true),
      () => (done = true)
    )
    while (!done) {
      pings.push((await call('app.info')).ms)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    for (const answer of await all) {
      concurrentTimes.push(answer.ms)
      concurrentMaxBytes = Math.max(concurrentMaxBytes, answer.bytes)
    }
  }
} catch (error) {
  concurrentError = (error as Error).message
  console.error(`  concurrent page requests failed: ${concurrentError}`)
}
phase = 'after'
await new Promise((resolve) => setTimeout(resolve, 1000))
clearInterval(sampler)
socket.close()
child.kill('SIGINT')
await new Promise((resolve) => child.once('exit', resolve))

const summaryCounts = (summary as { counts?: { discussions: number; annotations: number } } | undefined)?.counts
const peak = (which: string) => Math.max(0, ...rss.filter((sample) => sample.phase === which).map((sample) => sample.mib))
const concurrent = percentiles('4 at once', concurrentTimes, concurrentMaxBytes)
const pingLatency = percentiles('app.info meanwhile', pings, 0)
const report = {
  workload: { discussions, commentsPerDiscussion: comments, annotations: written.annotations, workspaceMiB: written.bytes / 1024 / 1024, pageSize: PAGE_SIZE },
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), loadAverage1m: loadavg()[0] ?? 0, node: process.version },
  writeSeconds,
  serverStartSeconds: startSeconds,
  nothingLost: {
    search: { ids: searchIds.length, everyOnce: everyOnce(searchIds), seconds: searchPagingSeconds },
    list: { ids: listIds.length, everyOnce: everyOnce(listIds), seconds: listPagingSeconds }
  },
  summary,
  summaryCountsRight: summaryCounts?.discussions === discussions && summaryCounts.annotations === written.annotations,
  latencies,
  concurrent: { requestsAtOnce: 4, rounds, error: concurrentError, requests: concurrent, appInfo: pingLatency },
  rssMiB: { idle, browsingPeak: peak('browsing'), concurrentPeak: peak('concurrent'), after: rss.filter((s) => s.phase === 'after').at(-1)?.mib ?? 0 }
}
const f = (value: number) => value.toFixed(1)
const row = (l: Latency) =>
  `  ${l.method.padEnd(27)} ${String(l.calls).padStart(4)} calls  median ${f(l.medianMs).padStart(7)} ms  p95 ${f(l.p95Ms).padStart(7)} ms  p99 ${f(l.p99Ms).padStart(7)} ms  max ${f(l.maxMs).padStart(7)} ms  ${(l.maxBytes / 1024).toFixed(0)} KiB`
console.log(
  `load-serve: ${discussions} discussions × ${comments} comments (${f(report.workload.workspaceMiB)} MiB), server up in ${f(startSeconds)} s, load ${f(report.machine.loadAverage1m)} on ${report.machine.cores} cores\n` +
    `  nothing lost: search paging ${searchIds.length} ids (every one once: ${report.nothingLost.search.everyOnce}, ${f(searchPagingSeconds)} s), ` +
    `list paging ${listIds.length} ids (every one once: ${report.nothingLost.list.everyOnce}, ${f(listPagingSeconds)} s); ` +
    `summary counts ${summaryCounts?.discussions} discussions, ${summaryCounts?.annotations} annotations (right: ${report.summaryCountsRight})\n` +
    latencies.map(row).join('\n') +
    `\n  4 page requests at once × ${rounds}: ${concurrentError ?? row(concurrent).trim()}` +
    `\n  app.info meanwhile: ${row(pingLatency).trim()}` +
    `\n  server RSS MiB: idle ${f(report.rssMiB.idle)}, browsing peak ${f(report.rssMiB.browsingPeak)}, 4 at once peak ${f(report.rssMiB.concurrentPeak)}, after ${f(report.rssMiB.after)}`
)
const out = join(root, 'bench', 'results', `load-serve-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
await writeFile(out, JSON.stringify({ ...report, rss }, null, 2))
console.log(`  written to ${out}`)
if (!keep) await rm(folder, { recursive: true, force: true })
process.exitCode = report.nothingLost.search.everyOnce && report.nothingLost.list.everyOnce && report.summaryCountsRight && concurrentError === null ? 0 : 1
