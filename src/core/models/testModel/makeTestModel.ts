import { open } from 'node:fs/promises'
import { resolve as resolvePath } from 'node:path'
import { GgmlType } from './ggmlType.js'
import { GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, layoutGguf } from './ggufHeader.js'
import { writeGgufFile, type GgufTensorSource } from './ggufWriter.js'
import { llamaMetadata } from './llamaMetadata.js'
import { countParameters, llamaTensors, type LlamaTensor } from './llamaTensors.js'
import { deriveSeed } from './prng.js'
import { constantTensorFill, randomTensorFill } from './tensorFill.js'
import {
  TEST_MODEL_QUANTS,
  TEST_MODEL_SHAPES,
  TEST_MODEL_SHAPE_NAMES,
  isTestModelQuant,
  isTestModelShapeName,
  type TestModelQuant,
  type TestModelShapeName
} from './testModelShapes.js'

/**
 * Bump whenever the bytes written for a given (shape, quant, seed) change, so caches of generated
 * models (see test/helpers/testModel.ts) are rebuilt.
 */
export const TEST_MODEL_GENERATOR_VERSION = 1
export const DEFAULT_TEST_MODEL_SEED = 1

export interface TestModelSpec {
  readonly shape: TestModelShapeName
  /** Defaults to the shape's own default (q8_0, or q4_0 for llama-8b). */
  readonly quant?: TestModelQuant
  /** Any integer in [0, 2^32); the same seed always gives the same file. */
  readonly seed?: number
}

export interface MakeTestModelOptions extends TestModelSpec {
  readonly out: string
  readonly onProgress?: (bytesWritten: number, totalBytes: number) => void
  readonly signal?: AbortSignal
}

export interface TestModelPlan {
  readonly shape: TestModelShapeName
  readonly quant: TestModelQuant
  readonly seed: number
  readonly bytes: number
  readonly parameters: number
}

export interface TestModelResult extends TestModelPlan {
  readonly path: string
}

/** The output path is unusable, e.g. it holds something that is not a GGUF model. */
export class TestModelOutputError extends Error {
  override readonly name = 'TestModelOutputError'
}

const MATRIX_TYPE: Record<TestModelQuant, GgmlType> = {
  f16: GgmlType.F16,
  q8_0: GgmlType.Q8_0,
  q4_0: GgmlType.Q4_0
}

/** Size and parameter count of a test model, without writing anything. */
export function planTestModel(spec: TestModelSpec): TestModelPlan {
  const { plan, tensors, metadata } = resolveSpec(spec)
  return { ...plan, bytes: layoutGguf(metadata, tensors, GGUF_DEFAULT_ALIGNMENT).totalBytes }
}

/**
 * Writes a llama-architecture GGUF with random weights: it loads and runs in llama.cpp like the real
 * model of that shape, at the same size and speed, but generates gibberish. Meant for tests and
 * benchmarks where no real weights can be downloaded. Streams to disk and replaces `out` atomically;
 * an existing file at `out` is only overwritten if it is a GGUF file (or empty).
 */
export async function makeTestModel(options: MakeTestModelOptions): Promise<TestModelResult> {
  const { plan, tensors, metadata } = resolveSpec(options)
  const path = resolvePath(options.out)
  await assertReplaceable(path)
  const sources: GgufTensorSource[] = tensors.map((tensor, index) => ({
    ...tensor,
    fill: tensor.isNorm
      ? constantTensorFill(tensor.type, 1)
      : randomTensorFill(tensor.type, deriveSeed(plan.seed, index))
  }))
  const { bytes } = await writeGgufFile(path, {
    metadata,
    tensors: sources,
    alignment: GGUF_DEFAULT_ALIGNMENT,
    onProgress: options.onProgress,
    signal: options.signal
  })
  return { ...plan, path, bytes }
}

function resolveSpec(spec: TestModelSpec): {
  plan: Omit<TestModelPlan, 'bytes'>
  tensors: LlamaTensor[]
  metadata: ReturnType<typeof llamaMetadata>
} {
  if (!isTestModelShapeName(spec.shape)) {
    throw new RangeError(`unknown test model shape "${String(spec.shape)}" (expected one of ${TEST_MODEL_SHAPE_NAMES.join(', ')})`)
  }
  const shape = TEST_MODEL_SHAPES[spec.shape]
  const quant = spec.quant ?? shape.defaultQuant
  if (!isTestModelQuant(quant)) {
    throw new RangeError(`unknown test model quant "${String(quant)}" (expected one of ${TEST_MODEL_QUANTS.join(', ')})`)
  }
  const seed = spec.seed ?? DEFAULT_TEST_MODEL_SEED
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`test model seed must be an integer from 0 to ${0xffffffff}, got ${seed}`)
  }
  const tensors = llamaTensors(shape, MATRIX_TYPE[quant])
  const metadata = llamaMetadata(shape, quant, GGUF_DEFAULT_ALIGNMENT, seed)
  return { plan: { shape: shape.name, quant, seed, parameters: countParameters(tensors) }, tensors, metadata }
}

/** Overwriting a model is routine; clobbering some unrelated file because of a typo is not. */
async function assertReplaceable(path: string): Promise<void> {
  let handle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    if ((error as NodeJS.ErrnoException).code === 'EISDIR') {
      throw new TestModelOutputError(`${path} is a directory, not a model file path`)
    }
    throw error
  }
  try {
    const stat = await handle.stat()
    if (stat.isDirectory()) throw new TestModelOutputError(`${path} is a directory, not a model file path`)
    if (stat.size === 0) return
    const magic = Buffer.alloc(4)
    const { bytesRead } = await handle.read(magic, 0, 4, 0)
    if (bytesRead < 4 || magic.readUInt32LE(0) !== GGUF_MAGIC) {
      throw new TestModelOutputError(`${path} exists and is not a GGUF file; refusing to overwrite it`)
    }
  } finally {
    await handle.close()
  }
}
