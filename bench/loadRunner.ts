// `npm run bench:load-runner [-- --discussions 1000 --concurrency 4 --turns 2 --tokens 4 --threads 1 --sample-ms 250]`
//
// Load: one run of --discussions short discussions queued at once through the real runner (journal
// fsyncs, atomic discussion files in a workspace) on the tiny random-weight model. Samples this
// process's RSS and heap while it goes, and checks at the end that nothing was lost: every
// discussion finished and saved once, the journal agrees, no step journaled twice. "Bounded" means
// memory does not grow with the number of discussions done: the report compares the first and
// last quarter of the run and fits a slope (bytes per finished discussion) to the heap samples.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { getLlama, LlamaLogLevel } from 'node-llama-cpp'
import {
  createLlamaCppBackend,
  createRun,
  JournalRecordSchema,
  makeTestModel,
  plansForDesign,
  TEST_MODEL_GENERATOR_VERSION,
  workspaceRunLocation,
  Workspace,
  type ExperimentDesignInput
} from '../src/core/index.js'
import { parseArgs } from './lib/args.js'

const args = parseArgs(process.argv.slice(2))
const discussions = Number(args.get('discussions') ?? 1000)
const concurrency = Number(args.get('concurrency') ?? 4)
const turns = Number(args.get('turns') ?? 2)
const maxTokens = Number(args.get('tokens') ?? 4)
const threads = Number(args.get('threads') ?? 1)
const sampleMs = Number(args.get('sample-ms') ?? 250)
const keep = args.get('keep') === 'true'

const root = fileURLToPath(new URL('..', import.meta.url))
const modelPath = join(root, 'node_modules', '.cache', 'sdf-studio', 'bench-models', `tiny-q8_0-seed1-v${TEST_MODEL_GENERATOR_VERSION}.gguf`)
await makeTestModel({ out: modelPath, shape: 'tiny', quant: 'q8_0', seed: 1 })

const folder = await mkdtemp(join(tmpdir(), 'sdf-load-runner-'))
const workspace = await Workspace.create(folder)
for (const [index, name] of ['ann', 'bob', 'cid', 'dee'].entries()) {
  await workspace.personas.put({ id: name, username: name[0]!.toUpperCase() + name.slice(1), age: 20 + index * 7, personality_characteristics: ['calm'], extra_attributes: {} })
}
await workspace.topics.put({ id: 'pizza', title: 'Pizza', text: 'Pineapple on pizza should be banned.', seed_comments: [] })
await workspace.topics.put({ id: 'parks', title: 'Parks', text: 'The new park is a waste of money.', seed_comments: [] })
await workspace.instructions.put({ id: 'vanilla', kind: 'user', name: 'Vanilla', text: 'Write a brief comment.' })
const design: ExperimentDesignInput = {
  id: 'load',
  name: 'Load',
  seed: 11,
  mode: { kind: 'sample', count: discussions },
  factors: {
    personas: { pool: ['ann', 'bob', 'cid', 'dee'], users_per_discussion: 2 },
    topics: ['pizza', 'parks'],
    user_instructions: ['vanilla'],
    moderator_instructions: [null],
    turn_policies: [{ kind: 'random' }],
    models: [{ model: 'tiny', sampling: { temperature: 0.8, topK: 40 } }],
    prompt_modes: [{ kind: 'sdf-v0' }]
  },
  discussion: { conv_len: turns, history_ctx_len: 2, max_tokens: maxTokens }
}
await workspace.designs.put(design)
const { plans } = await plansForDesign(workspace, design)

const llama = await getLlama({ gpu: false, maxThreads: threads, logLevel: LlamaLogLevel.error })
const backend = await createLlamaCppBackend({ modelPath, llama, threads, contextSize: 512, sequences: concurrency * 2 })
const run = await createRun({ location: workspaceRunLocation(workspace, 'load'), plans, backend, concurrency, provenance: { seed: 11, modelPath } })

interface Sample {
  seconds: number
  finished: number
  rssMiB: number
  heapMiB: number
}
const samples: Sample[] = []
let finished = 0
let steps = 0
run.subscribe((event) => {
  if (event.type === 'discussion-state' && event.state === 'finished') finished += 1
  if (event.type === 'discussion' && event.event.type === 'step' && !event.event.replayed) steps += 1
})
const started = performance.now()
const mib = (bytes: number) => bytes / 1024 / 1024
const sample = () => {
  const memory = process.memoryUsage()
  samples.push({ seconds: (performance.now() - started) / 1000, finished, rssMiB: mib(memory.rss), heapMiB: mib(memory.heapUsed) })
}
sample()
const sampler = setInterval(sample, sampleMs)
const result = await run.start()
clearInterval(sampler)
sample()
const seconds = (performance.now() - started) / 1000
await backend.dispose()

// Nothing lost: files, journal and result agree.
const files = (await readdir(workspace.resolve('discussions'))).filter((file) => file.endsWith('.json'))
const journal = (await readFile(workspace.resolve('runs', 'load', 'journal.jsonl'), 'utf8'))
  .trimEnd()
  .split('\n')
  .map((line) => JournalRecordSchema.parse(JSON.parse(line)))
const journaledSteps = journal.filter((record) => record.type === 'step')
const stepKeys = new Set(journaledSteps.map((record) => `${record.discussion_id}/${record.step.step}`))
let complete = 0
for (const file of files) {
  const discussion = JSON.parse(await readFile(workspace.resolve('discussions', file), 'utf8')) as { status: string }
  if (discussion.status === 'complete') complete += 1
}
const checks = {
  finished: result.finished.length,
  failed: result.failed.length,
  discussionFiles: files.length,
  completeFiles: complete,
  journaledFinished: journal.filter((record) => record.type === 'discussion-finished').length,
  journaledSteps: journaledSteps.length,
  stepsSeen: steps,
  duplicateSteps: journaledSteps.length - stepKeys.size
}
const nothingLost =
  checks.finished === plans.length &&
  checks.failed === 0 &&
  checks.discussionFiles === plans.length &&
  checks.completeFiles === plans.length &&
  checks.journaledFinished === plans.length &&
  checks.journaledSteps === checks.stepsSeen &&
  checks.duplicateSteps === 0

// Bounded: memory in the first and last quarter of the run, and the heap's slope per discussion.
const quarter = (from: number, to: number) => samples.filter((s) => s.finished >= from * plans.length && s.finished <= to * plans.length)
const stats = (list: Sample[], key: 'rssMiB' | 'heapMiB') => ({
  max: Math.max(...list.map((s) => s[key])),
  mean: list.reduce((sum, s) => sum + s[key], 0) / Math.max(1, list.length)
})
const early = quarter(0.05, 0.25)
const late = quarter(0.75, 1)
const slope = (() => {
  const points = samples.filter((s) => s.finished > 0)
  const n = points.length
  const mx = points.reduce((sum, s) => sum + s.finished, 0) / n
  const my = points.reduce((sum, s) => sum + s.heapMiB, 0) / n
  const sxy = points.reduce((sum, s) => sum + (s.finished - mx) * (s.heapMiB - my), 0)
  const sxx = points.reduce((sum, s) => sum + (s.finished - mx) ** 2, 0)
  return sxx === 0 ? 0 : (sxy / sxx) * 1024 // KiB per finished discussion
})()
const report = {
  workload: { discussions: plans.length, concurrency, turns, maxTokens, threads, users: 2, moderator: false, promptMode: 'sdf-v0' },
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), loadAverage1m: loadavg()[0] ?? 0, node: process.version },
  seconds,
  discussionsPerMinute: (plans.length / seconds) * 60,
  checks,
  nothingLost,
  memory: {
    samples: samples.length,
    rssEarly: stats(early, 'rssMiB'),
    rssLate: stats(late, 'rssMiB'),
    heapEarly: stats(early, 'heapMiB'),
    heapLate: stats(late, 'heapMiB'),
    rssMax: Math.max(...samples.map((s) => s.rssMiB)),
    heapSlopeKiBPerDiscussion: slope
  }
}
const fmt = (value: number) => value.toFixed(1)
console.log(
  `load-runner: ${plans.length} discussions (K=${concurrency}, ${turns} turns, ≤${maxTokens} tokens) in ${fmt(seconds)} s, ${fmt(report.discussionsPerMinute)}/min, load ${fmt(report.machine.loadAverage1m)}\n` +
    `  nothing lost: ${nothingLost} ${JSON.stringify(checks)}\n` +
    `  RSS MiB: early mean ${fmt(report.memory.rssEarly.mean)} max ${fmt(report.memory.rssEarly.max)}; late mean ${fmt(report.memory.rssLate.mean)} max ${fmt(report.memory.rssLate.max)}; overall max ${fmt(report.memory.rssMax)}\n` +
    `  heap MiB: early mean ${fmt(report.memory.heapEarly.mean)}; late mean ${fmt(report.memory.heapLate.mean)}; slope ${report.memory.heapSlopeKiBPerDiscussion.toFixed(2)} KiB per finished discussion`
)
const out = join(root, 'bench', 'results', `load-runner-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
await writeFile(out, JSON.stringify({ ...report, samples }, null, 2))
console.log(`  written to ${out}`)
if (!keep) await rm(folder, { recursive: true, force: true })
process.exitCode = nothingLost ? 0 : 1
