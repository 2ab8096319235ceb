import { createHash } from 'node:crypto'
import { access, readdir, readFile, rm } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { getLlama, LlamaLogLevel, type Llama } from 'node-llama-cpp'
import { makeTestModel, TEST_MODEL_GENERATOR_VERSION } from '../../src/core/models/index.js'

/**
 * node-llama-cpp defaults to one thread per core, which thrashes on the 2-core CI and dev machines.
 * Pass this to every `createContext` (and `maxThreads` is already 1 in `loadTestLlama`).
 */
export const TEST_THREADS = 1

const root = fileURLToPath(new URL('../..', import.meta.url))
const cacheDir = join(root, 'node_modules', '.cache', 'sdf-studio', 'test-models')
const generatorDir = join(root, 'src', 'core', 'models', 'testModel')

let tinyModel: Promise<string> | undefined
let testLlama: Promise<Llama> | undefined

/**
 * The path of the tiny random-weight model (seed 1), generated on first use and cached on disk. The
 * cache key holds the generator version and a hash of the generator's source, so editing the
 * generator without bumping the version still never serves a stale model.
 */
export function tinyModelPath(): Promise<string> {
  tinyModel ??= (async () => {
    const path = join(cacheDir, `tiny-q8_0-seed1-v${TEST_MODEL_GENERATOR_VERSION}-${await generatorHash()}.gguf`)
    const exists = await access(path).then(
      () => true,
      () => false
    )
    // The write is atomic (temp file + rename), so parallel workers may race here harmlessly.
    if (!exists) {
      await makeTestModel({ out: path, shape: 'tiny', quant: 'q8_0', seed: 1 })
      await pruneStaleModels(basename(path))
    }
    return path
  })()
  return tinyModel
}

/** One CPU-only, single-threaded Llama per test process; shared, so do not dispose it. */
export function loadTestLlama(): Promise<Llama> {
  testLlama ??= getLlama({ gpu: false, maxThreads: TEST_THREADS, logLevel: LlamaLogLevel.error })
  return testLlama
}

/** Models from earlier generator versions are never read again; a process that has one open keeps its inode. */
async function pruneStaleModels(keep: string): Promise<void> {
  const stale = (await readdir(cacheDir)).filter((file) => file.startsWith('tiny-') && file.endsWith('.gguf') && file !== keep)
  await Promise.all(stale.map((file) => rm(join(cacheDir, file), { force: true })))
}

async function generatorHash(): Promise<string> {
  const hash = createHash('sha256')
  const files = (await readdir(generatorDir)).filter((file) => file.endsWith('.ts')).sort()
  for (const file of files) {
    hash.update(file)
    hash.update(await readFile(join(generatorDir, file)))
  }
  return hash.digest('hex').slice(0, 12)
}
