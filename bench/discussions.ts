// `npm run bench:discussions [-- --discussions 32 --users 5 --turns 12 --tokens 64 --concurrency 1,32 --threads 1
//   --sequences-per-discussion 6 --gpu false --model FILE]`
//
// Whole discussions through the engine and the runner (journal fsyncs and file writes included) on
// the tiny random-weight model: SDF v0 prompts (alpaca format, SDF's stop strings), `--users` users
// and a moderator who answers every comment, `--turns` user turns, at most `--tokens` tokens per
// comment. For each concurrency K it runs twice: with prefix reuse (each agent keeps its KV-cache
// sequence between turns, via agentKey) and without agent keys (SDF's stateless prompting; the
// backend may still find a common prefix on a free sequence). Reports discussions per hour and the
// prompt tokens each call needed versus those actually evaluated. Results also go to bench/results/.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { getLlama, getModuleVersion, LlamaLogLevel, type LlamaGpuType } from 'node-llama-cpp'
import {
  createLlamaCppBackend,
  createRun,
  expandDesign,
  planFromSpec,
  writeJsonAtomically,
  type DiscussionPlan,
  type ExperimentDesignInput,
  type PlanLibrary,
  type RunLocation
} from '../src/core/index.js'
import { makeTestModel, TEST_MODEL_GENERATOR_VERSION, type TestModelQuant, type TestModelShapeName } from '../src/core/models/index.js'
import { numberList, parseArgs } from './lib/args.js'
import { formatTable } from './lib/throughput.js'

const args = parseArgs(process.argv.slice(2))
const discussions = Number(args.get('discussions') ?? 32)
const users = Number(args.get('users') ?? 5)
const turns = Number(args.get('turns') ?? 12)
const maxTokens = Number(args.get('tokens') ?? 64)
const concurrencies = numberList(args.get('concurrency') ?? '1,32')
const threads = Number(args.get('threads') ?? 1)
const gpuArg = args.get('gpu') ?? 'false'
const gpu: 'auto' | false = gpuArg === 'false' ? false : 'auto'
const contextSize = Number(args.get('context') ?? 1024)
const modelArg = args.get('model')
const reuseModes = (args.get('prompting') ?? 'reuse,stateless').split(',').map((mode) => mode === 'reuse')

const root = fileURLToPath(new URL('..', import.meta.url))
let modelPath = modelArg
let modelLabel = 'tiny (2 layers, 128 embd, vocab 512), q8_0, random weights'
// `--shape llama-1b:q8_0` makes a real-shaped random-weight model (on the GPU machine, where nothing
// can be downloaded); without `--model` or `--shape`, the tiny test model.
const [shapeName, shapeQuant] = (args.get('shape') ?? 'tiny:q8_0').split(':') as [TestModelShapeName, TestModelQuant]
if (!modelPath) {
  const modelsDir = args.get('models-dir') ?? join(root, 'node_modules', '.cache', 'sdf-studio', 'bench-models')
  modelPath = join(modelsDir, `${shapeName}-${shapeQuant}-seed1-v${TEST_MODEL_GENERATOR_VERSION}.gguf`)
  await mkdir(modelsDir, { recursive: true })
  await makeTestModel({ out: modelPath, shape: shapeName, quant: shapeQuant, seed: 1 })
  if (shapeName !== 'tiny') modelLabel = `${shapeName} shape, ${shapeQuant}, random weights`
} else {
  modelLabel = modelPath
}

// A design like EXP's Nov 2024 runs: SDF v0 prompts, random_weighted turns, a moderator after every comment.
const personaIds = Array.from({ length: Math.max(users, 8) }, (_, index) => `p${index}`)
const library: PlanLibrary = {
  personas: personaIds.map((id, index) => ({
    id,
    username: `user_${index}`,
    age: 20 + index * 3,
    sex: index % 2 === 0 ? 'female' : 'male',
    current_employment: ['Nurse', 'Teacher', 'Retail Worker', 'Engineer'][index % 4],
    personality_characteristics: ['outgoing', 'stubborn'],
    special_instructions: index === 1 ? 'You are an online troll and want to derail the conversation.' : '',
    extra_attributes: {}
  })),
  topics: [
    { id: 'pizza', title: 'Pizza', text: 'Pineapple on pizza should be banned. Anyone who likes it has no taste.\n', seed_comments: [] },
    { id: 'parks', title: 'Parks', text: 'The new park is a waste of taxpayer money and only attracts crime.\n', seed_comments: [] }
  ],
  instructions: [
    { id: 'vanilla', kind: 'user', name: 'Vanilla', text: 'You are a human in a forum. Write a brief Reddit comment responding to the post and other users.' },
    { id: 'rules', kind: 'moderator', name: 'Rules', text: 'You are a moderator. Oversee the conversation. Remind users of the rules: no insults, stay on topic.' }
  ]
}
const design: ExperimentDesignInput = {
  id: 'bench',
  name: 'Discussions benchmark',
  seed: 2025,
  mode: { kind: 'sample', count: discussions },
  factors: {
    personas: { pool: personaIds, users_per_discussion: users },
    topics: ['pizza', 'parks'],
    user_instructions: ['vanilla'],
    moderator_instructions: ['rules'],
    turn_policies: [{ kind: 'sdf-v0-random-weighted', respond_probability: 0.3 }],
    models: [{ model: 'tiny', sampling: { temperature: 0.8, topK: 40, topP: 0.95, minP: 0.05, repeatPenalty: 1.1 } }],
    prompt_modes: [{ kind: 'sdf-v0' }]
  },
  discussion: { conv_len: turns, history_ctx_len: 3, max_tokens: maxTokens }
}
const plans: DiscussionPlan[] = expandDesign(design, library).discussions.map((spec) => planFromSpec(spec, library))
const agents = users + 1
// One KV-cache sequence per agent lets every agent keep its prefix; fewer save memory (and, with
// llama.cpp's unified cache, attention work) at the cost of evictions.
const sequencesPerDiscussion = Number(args.get('sequences-per-discussion') ?? agents)

const llama = await getLlama({ gpu, maxThreads: threads, logLevel: LlamaLogLevel.error })
const scratch = await mkdtemp(join(tmpdir(), 'sdf-bench-discussions-'))

interface Row {
  concurrency: number
  reuse: boolean
  sequences: number
  seconds: number
  discussionsPerHour: number
  calls: number
  comments: number
  generatedTokens: number
  generatedPerSecond: number
  promptTokensPerCall: number
  evaluatedPromptTokensPerCall: number
  failed: number
}

async function measure(concurrency: number, reuse: boolean): Promise<Row> {
  const sequences = Math.min(256, concurrency * sequencesPerDiscussion)
  const backend = await createLlamaCppBackend({ modelPath: modelPath as string, llama, threads, contextSize, sequences })
  const runId = `k${concurrency}-${reuse ? 'reuse' : 'stateless'}`
  const directory = join(scratch, runId)
  const location: RunLocation = {
    runId,
    directory,
    saveDiscussion: async (discussion) => {
      const path = join(directory, `${discussion.id}.json`)
      await writeJsonAtomically(path, discussion)
      return path
    }
  }
  const run = await createRun({ location, plans, backend, concurrency, reuseAgentPrefixes: reuse, provenance: { seed: 2025, modelPath } })
  const totals = { calls: 0, comments: 0, prompt: 0, reused: 0, generated: 0 }
  run.subscribe((event) => {
    if (event.type !== 'discussion') return
    const inner = event.event
    if (inner.type === 'comment' && inner.comment.role !== 'seed') totals.comments += 1
    if (inner.type !== 'step') return
    totals.calls += 1
    totals.prompt += inner.step.stats.promptTokens
    totals.reused += inner.step.stats.reusedPromptTokens
    totals.generated += inner.step.stats.generatedTokens
  })
  const started = performance.now()
  const result = await run.start()
  const seconds = (performance.now() - started) / 1000
  await backend.dispose()
  const row: Row = {
    concurrency,
    reuse,
    sequences,
    seconds,
    discussionsPerHour: (result.finished.length / seconds) * 3600,
    calls: totals.calls,
    comments: totals.comments,
    generatedTokens: totals.generated,
    generatedPerSecond: totals.generated / seconds,
    promptTokensPerCall: (totals.prompt + totals.reused) / totals.calls,
    evaluatedPromptTokensPerCall: totals.prompt / totals.calls,
    failed: result.failed.length
  }
  console.error(`  K=${concurrency} ${reuse ? 'prefix reuse' : 'stateless'}: ${seconds.toFixed(1)} s ${JSON.stringify(row)}`)
  return row
}

const gpuType: LlamaGpuType = llama.gpu
console.error(`${plans.length} discussions × ${users} users + moderator × ${turns} turns × ≤${maxTokens} tokens, ${threads} thread(s), gpu ${gpuType}`)
// Warm-up: first-use allocations and page-ins, not measured.
{
  const backend = await createLlamaCppBackend({ modelPath, llama, threads, contextSize, sequences: 2 })
  await backend.generate({ messages: [{ role: 'user', content: 'warm up' }], maxTokens: 8, promptFormat: 'sdf-alpaca' })
  await backend.dispose()
}
const rows: Row[] = []
for (const concurrency of concurrencies) {
  for (const reuse of reuseModes) rows.push(await measure(concurrency, reuse))
}

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: availableParallelism(),
  loadAverage1m: loadavg()[0] ?? 0,
  node: process.version,
  nodeLlamaCpp: await getModuleVersion(),
  gpu: gpuType,
  threads,
  contextSize,
  model: modelLabel
}
const workload = { discussions: plans.length, users, moderator: true, turns, maxTokens, historyCtxLen: 3, promptMode: 'sdf-v0', sequencesPerDiscussion }
console.log(
  `discussions benchmark: ${workload.discussions} discussions, ${users} users + moderator, ${turns} turns, ≤${maxTokens} tokens/comment ` +
    `(${machine.cpu}, ${machine.cores} cores, load ${machine.loadAverage1m.toFixed(2)}, ${threads} thread(s), gpu ${gpuType})`
)
console.log(
  formatTable(
    ['K', 'prompting', 'sequences', 'wall s', 'discussions/h', 'gen tok/s', 'calls', 'prompt tok/call', 'evaluated tok/call'],
    rows.map((row) => [
      String(row.concurrency),
      row.reuse ? 'prefix reuse' : 'stateless',
      String(row.sequences),
      row.seconds.toFixed(1),
      row.discussionsPerHour.toFixed(0),
      row.generatedPerSecond.toFixed(0),
      String(row.calls),
      row.promptTokensPerCall.toFixed(0),
      row.evaluatedPromptTokensPerCall.toFixed(0)
    ])
  )
)
const resultsDir = args.get('out') ?? join(root, 'bench', 'results')
await mkdir(resultsDir, { recursive: true })
const resultFile = join(resultsDir, `discussions-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
await writeFile(resultFile, `${JSON.stringify({ machine, workload, rows }, null, 2)}\n`)
console.log(`\nwritten to ${resultFile}`)
await rm(scratch, { recursive: true, force: true })
await llama.dispose()
