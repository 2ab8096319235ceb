// `npm run bench:engine [-- --threads 1 --reps 7 --tokens 128 --streams 1,8 --prompt-words 150]`
//
// Our llama.cpp engine against raw node-llama-cpp doing the same work on the CPU with the tiny
// random-weight model: the same prompt tokens (SDF's alpaca format, rendered once by our code),
// the same sampling and seeds, the same thread count and context shape. Raw is one
// `sequence.evaluate` loop per stream that only counts tokens; the engine adds leasing, prefix
// checks, detokenizing, stop strings and stats on top. Runs alternate (raw first, then engine
// first) and the table shows medians, plus the median of the per-pair ratios ('paired'), which
// shared-machine load disturbs least. Results also go to bench/results/ as JSON.
import { mkdir, writeFile } from 'node:fs/promises'
import { availableParallelism, cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { getLlama, getModuleVersion, LlamaLogLevel, resolveChatWrapper, type LlamaContextSequence, type Token } from 'node-llama-cpp'
import { createLlamaCppBackend, PromptRenderer, type GenerationRequest } from '../src/core/llm/index.js'
import { makeTestModel, TEST_MODEL_GENERATOR_VERSION } from '../src/core/models/index.js'
import { numberList, parseArgs } from './lib/args.js'
import { BENCH_SAMPLING, benchMessages, engineStreams, formatTable, median, rawStreams, takeSequences, type StreamsRun } from './lib/throughput.js'

const args = parseArgs(process.argv.slice(2))
const threads = Number(args.get('threads') ?? 1)
const reps = Number(args.get('reps') ?? 7)
const maxTokens = Number(args.get('tokens') ?? 128)
const streamCounts = numberList(args.get('streams') ?? '1,8')
const promptWords = Number(args.get('prompt-words') ?? 150)
const contextSize = 2048

const root = fileURLToPath(new URL('..', import.meta.url))
const modelPath = join(root, 'node_modules', '.cache', 'sdf-studio', 'bench-models', `tiny-q8_0-seed1-v${TEST_MODEL_GENERATOR_VERSION}.gguf`)
await mkdir(join(modelPath, '..'), { recursive: true })
await makeTestModel({ out: modelPath, shape: 'tiny', quant: 'q8_0', seed: 1 })

const llama = await getLlama({ gpu: false, maxThreads: threads, logLevel: LlamaLogLevel.error })
const maxStreams = Math.max(...streamCounts)
const model = await llama.loadModel({ modelPath })
const rawContext = await model.createContext({ contextSize, sequences: maxStreams, threads })
const rawSequences = takeSequences(rawContext, maxStreams)
const renderer = new PromptRenderer(model, resolveChatWrapper(model))
const backend = await createLlamaCppBackend({ modelPath, llama, threads, sequences: maxStreams, contextSize })

const request = (run: number, stream: number, tokens: number, pad = 0): GenerationRequest => ({
  messages: benchMessages(run, stream, pad),
  promptFormat: 'sdf-alpaca',
  maxTokens: tokens,
  sampling: { ...BENCH_SAMPLING, seed: run * 1000 + stream }
})
const promptTokens = (req: GenerationRequest): Token[] => renderer.render(req.messages, 'sdf-alpaca').tokens

let run = 0
async function pair(streams: number, tokens: number, pad: number): Promise<{ raw: StreamsRun; engine: StreamsRun }> {
  run++
  const requests = Array.from({ length: streams }, (_, stream) => request(run, stream, tokens, pad))
  const measureRaw = () => rawStreams(rawSequences.slice(0, streams), requests.map(promptTokens), tokens, run * 1000)
  const measureEngine = () => engineStreams(backend, requests)
  if (run % 2 === 0) {
    const engine = await measureEngine()
    return { raw: await measureRaw(), engine }
  }
  const raw = await measureRaw()
  return { raw, engine: await measureEngine() }
}

interface Row {
  scenario: string
  unit: string
  raw: number[]
  engine: number[]
  rawCpu: number[]
  engineCpu: number[]
}
const rows: Row[] = []

await pair(1, 16, 0) // warm-up: first-use allocations on both sides

for (const streams of streamCounts) {
  const row: Row = { scenario: `${streams} stream${streams === 1 ? '' : 's'} × ${maxTokens} tokens`, unit: 'generated tok/s', raw: [], engine: [], rawCpu: [], engineCpu: [] }
  for (let rep = 0; rep < reps; rep++) {
    const { raw, engine } = await pair(streams, maxTokens, 0)
    row.raw.push(raw.tokensPerSecond)
    row.engine.push(engine.tokensPerSecond)
    row.rawCpu.push(raw.cpuMicrosPerToken)
    row.engineCpu.push(engine.cpuMicrosPerToken)
  }
  rows.push(row)
}

// Prompt evaluation: one stream, a long prompt, one token; rate = prompt tokens / wall time.
const prefillTokens = promptTokens(request(0, 0, 1, promptWords)).length
const prefill: Row = { scenario: `1 stream, ${prefillTokens}-token prompt, 1 token`, unit: 'prompt tok/s', raw: [], engine: [], rawCpu: [], engineCpu: [] }
for (let rep = 0; rep < reps; rep++) {
  run++
  const req = request(run, 0, 1, promptWords)
  const tokens = promptTokens(req)
  const rawRun = await rawStreams(rawSequences.slice(0, 1), [tokens], 1, run)
  const engineRun = await engineStreams(backend, [req])
  prefill.raw.push(tokens.length / rawRun.seconds)
  prefill.engine.push(tokens.length / engineRun.seconds)
  // CPU per prompt token here (one token is generated).
  prefill.rawCpu.push(rawRun.cpuMicrosPerToken / tokens.length)
  prefill.engineCpu.push(engineRun.cpuMicrosPerToken / tokens.length)
}
rows.push(prefill)

const fmt = (value: number) => value.toFixed(0)
const summary = rows.map((row) => {
  const raw = median(row.raw)
  const engine = median(row.engine)
  // Raw and engine run back to back, so the ratio within a pair is the least disturbed by load drift.
  const pairedRatio = median(row.raw.map((rawRate, index) => row.engine[index]! / rawRate))
  return {
    scenario: row.scenario,
    unit: row.unit,
    rawMedian: raw,
    engineMedian: engine,
    ratio: engine / raw,
    pairedRatio,
    rawCpuMicrosPerToken: median(row.rawCpu),
    engineCpuMicrosPerToken: median(row.engineCpu),
    raw: row.raw,
    engine: row.engine
  }
})
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: availableParallelism(),
  loadAverage1m: loadavg()[0] ?? 0,
  node: process.version,
  nodeLlamaCpp: await getModuleVersion(),
  threads,
  reps,
  contextSize,
  model: 'tiny (2 layers, 128 embd, vocab 512), q8_0, random weights'
}
console.log(`engine vs raw node-llama-cpp: CPU, ${threads} thread(s), tiny model, median of ${reps} runs (${machine.cpu}, ${machine.cores} cores, load ${machine.loadAverage1m.toFixed(2)})`)
console.log(
  formatTable(
    ['scenario', 'unit', 'raw', 'engine', 'engine/raw', 'paired', 'CPU µs/tok raw', 'engine'],
    summary.map((row) => [
      row.scenario,
      row.unit,
      fmt(row.rawMedian),
      fmt(row.engineMedian),
      `${(row.ratio * 100).toFixed(1)}%`,
      `${(row.pairedRatio * 100).toFixed(1)}%`,
      row.rawCpuMicrosPerToken.toFixed(1),
      row.engineCpuMicrosPerToken.toFixed(1)
    ])
  )
)
const resultsDir = join(root, 'bench', 'results')
await mkdir(resultsDir, { recursive: true })
const resultFile = join(resultsDir, `engine-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
await writeFile(resultFile, `${JSON.stringify({ machine, summary }, null, 2)}\n`)
console.log(`\nwritten to ${resultFile}`)

await backend.dispose()
await Promise.all(rawSequences.map((sequence: LlamaContextSequence) => sequence.dispose()))
await rawContext.dispose()
await model.dispose()
await llama.dispose()
