import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { access } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { LlamaGpuType } from 'node-llama-cpp'
import { makeTestModel, TEST_MODEL_GENERATOR_VERSION } from '../../models/index.js'
import { replaceFile } from '../../models/replaceFile.js'

export interface GpuProbeResult {
  readonly ok: boolean
  /** Why it failed, from the child's output (e.g. "CUDA error: the provided PTX was compiled with an unsupported toolchain"). */
  readonly reason: string | null
  readonly durationMs: number
}

export interface ProbeGpuOptions {
  /** The first CUDA run JIT-compiles PTX, which can take a minute on a big GPU. */
  readonly timeoutMs?: number
  /** A small GGUF to run; by default a tiny random model is generated in the temp folder. */
  readonly modelPath?: string
}

const OK_MARKER = 'SDF_GPU_PROBE_OK'

/**
 * Runs in a child process: load the binary for `gpu`, offload a tiny model and decode a few tokens.
 * A broken GPU binary does not throw, it aborts the process from inside ggml (the lent H100's
 * "provided PTX was compiled with an unsupported toolchain" comes at the first decode), so the
 * only safe place to find out is another process.
 */
const PROBE_SCRIPT = `
const [entry, gpuArgument, modelPath] = process.argv.slice(2)
const gpu = gpuArgument === 'false' ? false : gpuArgument
const { getLlama, LlamaLogLevel } = await import(entry)
const llama = await getLlama({ gpu, build: 'never', maxThreads: 1, logLevel: LlamaLogLevel.error })
if (llama.gpu !== gpu) throw new Error('node-llama-cpp loaded ' + llama.gpu + ' instead of ' + gpu)
const model = await llama.loadModel({ modelPath, gpuLayers: 'max' })
const context = await model.createContext({ contextSize: 256, threads: 1 })
const sequence = context.getSequence()
let generated = 0
for await (const token of sequence.evaluate(model.tokenize('probe'), { temperature: 0 })) {
  if (++generated >= 4) break
}
process.stdout.write('${OK_MARKER}\\n')
process.exit(0)
`

/** Checks that `gpu` really runs here (`false`, the CPU, checks the probe itself); never throws. */
export async function probeGpu(gpu: LlamaGpuType, options: ProbeGpuOptions = {}): Promise<GpuProbeResult> {
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  try {
    const modelPath = options.modelPath ?? (await probeModelPath())
    const entry = pathToFileURL(createRequire(import.meta.url).resolve('node-llama-cpp')).href
    const { code, output } = await runChild([await probeScriptPath(), entry, String(gpu), modelPath], options.timeoutMs ?? 180_000)
    if (code === 0 && output.includes(OK_MARKER)) return { ok: true, reason: null, durationMs: elapsed() }
    return { ok: false, reason: failureReason(output, code), durationMs: elapsed() }
  } catch (error) {
    return { ok: false, reason: (error as Error).message, durationMs: elapsed() }
  }
}

async function probeModelPath(): Promise<string> {
  const path = join(tmpdir(), `sdf-studio-gpu-probe-v${TEST_MODEL_GENERATOR_VERSION}.gguf`)
  const exists = await access(path).then(
    () => true,
    () => false
  )
  if (!exists) await makeTestModel({ out: path, shape: 'tiny', quant: 'q8_0', seed: 1 })
  return path
}

/**
 * The script goes in a file: run with `node -e`, the child's `--input-type` flag is inherited by
 * node-llama-cpp's own binary-test subprocess, which then fails to start.
 */
async function probeScriptPath(): Promise<string> {
  const path = join(tmpdir(), `sdf-studio-gpu-probe-${createHash('sha256').update(PROBE_SCRIPT).digest('hex').slice(0, 12)}.mjs`)
  // Atomic: two backends may probe at once.
  await replaceFile(path, PROBE_SCRIPT)
  return path
}

function runChild(args: string[], timeoutMs: number): Promise<{ code: number | string; output: string }> {
  return new Promise((resolve, reject) => {
    // In Electron, execPath is the app binary; ELECTRON_RUN_AS_NODE makes it a plain Node.
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let output = ''
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-20_000)
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    const timer = setTimeout(() => {
      output += `\nthe GPU test run did not finish within ${Math.round(timeoutMs / 1000)} s`
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code: code ?? signal ?? 'unknown', output })
    })
  })
}

/** The most telling line: a CUDA/Vulkan error if there is one, else the last thing printed. */
function failureReason(output: string, code: number | string): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
  const telling =
    lines.find((line) => /(CUDA|Vulkan|ggml|GGML).*error|error.*(CUDA|Vulkan)/i.test(line)) ??
    lines.findLast((line) => /error|failed|did not finish/i.test(line)) ??
    lines.at(-1)
  const exit = typeof code === 'number' ? `exit code ${code}` : `signal ${code}`
  return telling ? `${telling} (${exit})` : `the test run ended with ${exit} and printed nothing`
}
