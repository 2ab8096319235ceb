// The GPU benchmark: our engine against raw node-llama-cpp on the lent NVIDIA machine, in one run.
// Bundled and carried with the shared GPU kit (see bench/README.md); it also runs on a CPU for a
// dry run: `npx tsx bench/gpu.ts --gpu false --models tiny:q8_0 --streams 1,2 --tokens 16 --prompt 128`.
//
// For each model shape (random weights, generated here by makeTestModel): prompt evaluation speed,
// then aggregate generation speed for 1/8/32/64 concurrent streams, raw first, then the engine, on
// identical contexts (same sequences, context size, batch size, threads, prompts, sampling, seeds).
// Results are written after every model, so a run cut short still leaves its numbers.
import { mkdir, stat, writeFile } from 'node:fs/promises'
import { availableParallelism, cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { getLlama, getModuleVersion, LlamaLogLevel, resolveChatWrapper, type Llama } from 'node-llama-cpp'
import { createLlamaCppBackend, probeGpu, PromptRenderer, type GenerationRequest } from '../src/core/llm/index.js'
import {
  describeHardware,
  isTestModelQuant,
  isTestModelShapeName,
  makeTestModel,
  planTestModel,
  TEST_MODEL_GENERATOR_VERSION,
  type TestModelQuant,
  type TestModelShapeName
} from '../src/core/models/index.js'
import { numberList, parseArgs } from './lib/args.js'
import { BENCH_SAMPLING, benchMessages, engineStreams, formatTable, median, rawStreams, takeSequences } from './lib/throughput.js'

const args = parseArgs(process.argv.slice(2))
const gpuArg = args.get('gpu') ?? 'cuda'
const gpu = gpuArg === 'false' ? false : (gpuArg as 'cuda' | 'vulkan')
const outDir = args.get('out') ?? process.env.OUT ?? join('bench', 'results')
const modelsDir = args.get('models-dir') ?? join(tmpdir(), 'sdf-bench-models')
const streamCounts = numberList(args.get('streams') ?? '1,8,32,64')
const maxTokens = Number(args.get('tokens') ?? 128)
const promptTarget = Number(args.get('prompt') ?? 1024)
const reps = Number(args.get('reps') ?? 2)
const threads = Number(args.get('threads') ?? Math.min(8, availableParallelism()))
/** Past this many seconds no new measurement starts (the device gives 10 minutes a command). */
const budgetSeconds = Number(args.get('budget-s') ?? 420)
const models = (args.get('models') ?? 'llama-1b:q8_0,llama-8b:q4_0').split(',').map(parseModelSpec)

const started = performance.now()
const elapsed = () => (performance.now() - started) / 1000
const log = (message: string) => console.log(`[${elapsed().toFixed(0).padStart(4)} s] ${message}`)

interface Measurement {
  scenario: string
  unit: string
  raw: number | null
  engine: number | null
}
interface ModelResult {
  model: string
  bytes: number
  generateSeconds: number
  gpuLayers: { raw: number; engine: number } | null
  measurements: Measurement[]
}
const report = {
  startedAt: new Date().toISOString(),
  settings: { gpu, streamCounts, maxTokens, promptTarget, reps, threads, budgetSeconds },
  machine: {} as Record<string, unknown>,
  probe: null as unknown,
  models: [] as ModelResult[],
  skipped: [] as string[]
}

await mkdir(outDir, { recursive: true })
await mkdir(modelsDir, { recursive: true })
// The kit's sm_90 build is a local build; node-llama-cpp finds it with its default build mode. Try
// the app's own setting ('never') first and record whether it found the GPU binary.
let binaryLookup = 'build: never'
const llama = await getLlama({ gpu, build: 'never', maxThreads: threads, logLevel: LlamaLogLevel.error }).catch(async (error: unknown) => {
  binaryLookup = `build: never failed (${String(error)}); default build mode used`
  return getLlama({ gpu, maxThreads: threads, logLevel: LlamaLogLevel.error })
})
const hardware = await describeHardware(llama)
report.machine = { binaryLookup, ...hardware, cpu: cpus()[0]?.model, nodeLlamaCpp: await getModuleVersion(), node: process.version }
log(`llama.cpp on ${String(llama.gpu)} (${hardware.gpuDevices.join(', ') || 'no GPU device'}), ${threads} threads`)
if (args.get('probe') !== 'false' && gpu !== false) {
  // The same child-process check the app runs before trusting a GPU.
  report.probe = await probeGpu(gpu)
  log(`GPU probe: ${JSON.stringify(report.probe)}`)
}

for (const spec of models) {
  const result = await benchModel(llama, spec)
  report.models.push(result)
  await save()
}

printTables()
await save()
await llama.dispose()

async function benchModel(llama: Llama, spec: { shape: TestModelShapeName; quant: TestModelQuant }): Promise<ModelResult> {
  const name = `${spec.shape} ${spec.quant}`
  const modelPath = join(modelsDir, `${spec.shape}-${spec.quant}-seed1-v${TEST_MODEL_GENERATOR_VERSION}.gguf`)
  const plan = planTestModel(spec)
  const generateStart = performance.now()
  // A warm machine keeps its files between calls: generate only what is not there yet.
  if ((await stat(modelPath).catch(() => null))?.size !== plan.bytes) {
    log(`${name}: generating ${(plan.bytes / 1e9).toFixed(2)} GB of random weights`)
    await makeTestModel({ out: modelPath, ...spec, seed: 1 })
  }
  const result: ModelResult = { model: name, bytes: plan.bytes, generateSeconds: (performance.now() - generateStart) / 1000, gpuLayers: null, measurements: [] }
  const maxStreams = Math.max(...streamCounts)
  const streamContextSize = 512
  const promptContextSize = promptTarget + 256

  // Raw node-llama-cpp: one model, a one-sequence context for the prompt, a many-sequence one for streams.
  const model = await llama.loadModel({ modelPath, gpuLayers: 'max' })
  const renderer = new PromptRenderer(model, resolveChatWrapper(model))
  const padWords = fitPadWords(renderer, promptTarget)
  const promptTokens = renderer.render(benchMessages(0, 0, padWords), 'sdf-alpaca').tokens.length
  const request = (run: number, stream: number, tokens: number, pad = 0): GenerationRequest => ({
    messages: benchMessages(run, stream, pad),
    promptFormat: 'sdf-alpaca',
    maxTokens: tokens,
    sampling: { ...BENCH_SAMPLING, seed: run * 1000 + stream }
  })
  const tokensOf = (req: GenerationRequest) => renderer.render(req.messages, 'sdf-alpaca').tokens
  const promptScenario = `prompt ${promptTokens} tokens, 1 out`
  const rawNumbers = new Map<string, number>()
  let run = 0

  {
    const context = await model.createContext({ contextSize: promptContextSize, sequences: 1, threads })
    const [sequence] = takeSequences(context, 1)
    const rates: number[] = []
    for (let rep = 0; rep <= reps && withinBudget(`${name} raw prompt`); rep++) {
      const req = request(++run, 0, 1, padWords)
      const tokens = tokensOf(req)
      const measured = await rawStreams([sequence!], [tokens], 1, run)
      if (rep > 0) rates.push(tokens.length / measured.seconds) // rep 0 warms up
    }
    if (rates.length > 0) rawNumbers.set(promptScenario, median(rates))
    await context.dispose()
  }
  {
    const context = await model.createContext({ contextSize: streamContextSize, sequences: maxStreams, threads })
    const sequences = takeSequences(context, maxStreams)
    await rawStreams(sequences.slice(0, 1), [tokensOf(request(++run, 0, 8))], 8, run) // warm-up
    for (const streams of streamCounts) {
      const rates: number[] = []
      for (let rep = 0; rep < reps && withinBudget(`${name} raw ${streams} streams`); rep++) {
        run++
        const prompts = Array.from({ length: streams }, (_, stream) => tokensOf(request(run, stream, maxTokens)))
        rates.push((await rawStreams(sequences.slice(0, streams), prompts, maxTokens, run * 1000)).tokensPerSecond)
      }
      if (rates.length > 0) rawNumbers.set(streamScenario(streams), median(rates))
      log(`${name} raw ${streams} streams: ${rates.map((rate) => rate.toFixed(0)).join(', ')} tok/s`)
    }
    await context.dispose()
  }
  // The raw model stays loaded (idle) to keep rendering prompts; the engine loads its own copy.
  const rawGpuLayers = model.gpuLayers

  // The engine, on contexts of the same shape.
  const engineNumbers = new Map<string, number>()
  {
    const backend = await createLlamaCppBackend({ modelPath, llama, threads, sequences: 1, contextSize: promptContextSize, gpuLayers: 'max' })
    const rates: number[] = []
    for (let rep = 0; rep <= reps && withinBudget(`${name} engine prompt`); rep++) {
      const req = request(++run, 0, 1, padWords)
      const measured = await engineStreams(backend, [req])
      if (rep > 0) rates.push(tokensOf(req).length / measured.seconds)
    }
    if (rates.length > 0) engineNumbers.set(promptScenario, median(rates))
    await backend.dispose()
  }
  {
    const backend = await createLlamaCppBackend({ modelPath, llama, threads, sequences: maxStreams, contextSize: streamContextSize, gpuLayers: 'max' })
    result.gpuLayers = { raw: rawGpuLayers, engine: backend.info.gpuLayers }
    await engineStreams(backend, [request(++run, 0, 8)]) // warm-up
    for (const streams of streamCounts) {
      const rates: number[] = []
      for (let rep = 0; rep < reps && withinBudget(`${name} engine ${streams} streams`); rep++) {
        run++
        const requests = Array.from({ length: streams }, (_, stream) => request(run, stream, maxTokens))
        rates.push((await engineStreams(backend, requests)).tokensPerSecond)
      }
      if (rates.length > 0) engineNumbers.set(streamScenario(streams), median(rates))
      log(`${name} engine ${streams} streams: ${rates.map((rate) => rate.toFixed(0)).join(', ')} tok/s`)
    }
    await backend.dispose()
  }

  await model.dispose()

  for (const scenario of [promptScenario, ...streamCounts.map(streamScenario)]) {
    result.measurements.push({
      scenario,
      unit: scenario === promptScenario ? 'prompt tok/s' : 'generated tok/s (all streams)',
      raw: rawNumbers.get(scenario) ?? null,
      engine: engineNumbers.get(scenario) ?? null
    })
  }
  return result
}

function streamScenario(streams: number): string {
  return `${streams} stream${streams === 1 ? '' : 's'} × ${maxTokens} tokens`
}

/** How many filler words make the alpaca prompt about `target` tokens long with this tokenizer. */
function fitPadWords(renderer: PromptRenderer, target: number): number {
  const count = (words: number) => renderer.render(benchMessages(0, 0, words), 'sdf-alpaca').tokens.length
  const base = count(0)
  const perWord = (count(100) - base) / 100
  return Math.max(0, Math.round((target - base) / Math.max(perWord, 0.01)))
}

function withinBudget(what: string): boolean {
  if (elapsed() < budgetSeconds) return true
  if (!report.skipped.includes(what)) report.skipped.push(what)
  return false
}

function parseModelSpec(spec: string): { shape: TestModelShapeName; quant: TestModelQuant } {
  const [shape, quant] = spec.split(':')
  if (!shape || !isTestModelShapeName(shape)) throw new Error(`unknown model shape in "${spec}"`)
  if (quant !== undefined && !isTestModelQuant(quant)) throw new Error(`unknown quantisation in "${spec}"`)
  return { shape, quant: quant ?? (shape === 'llama-8b' ? 'q4_0' : 'q8_0') }
}

async function save(): Promise<void> {
  await writeFile(join(outDir, 'gpu-bench.json'), `${JSON.stringify({ ...report, seconds: elapsed() }, null, 2)}\n`)
}

function printTables(): void {
  const fmt = (value: number | null) => (value === null ? '-' : value.toFixed(0))
  for (const result of report.models) {
    console.log(`\n${result.model} (${(result.bytes / 1e9).toFixed(2)} GB, GPU layers raw/engine ${result.gpuLayers?.raw ?? '-'}/${result.gpuLayers?.engine ?? '-'})`)
    console.log(
      formatTable(
        ['scenario', 'unit', 'raw', 'engine', 'engine/raw'],
        result.measurements.map((row) => [
          row.scenario,
          row.unit,
          fmt(row.raw),
          fmt(row.engine),
          row.raw && row.engine ? `${((row.engine / row.raw) * 100).toFixed(1)}%` : '-'
        ])
      )
    )
  }
  if (report.skipped.length > 0) console.log(`\nskipped for time: ${report.skipped.join('; ')}`)
}
