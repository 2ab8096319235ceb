export const TEST_MODEL_SHAPE_NAMES = ['tiny', 'llama-1b', 'llama-3b', 'llama-8b'] as const
export type TestModelShapeName = (typeof TEST_MODEL_SHAPE_NAMES)[number]

export const TEST_MODEL_QUANTS = ['q4_0', 'q8_0', 'f16'] as const
export type TestModelQuant = (typeof TEST_MODEL_QUANTS)[number]

/** Llama hyper-parameters; the big shapes copy real Llama 3 models so memory and speed match. */
export interface TestModelShape {
  readonly name: TestModelShapeName
  readonly description: string
  readonly vocabSize: number
  readonly embeddingLength: number
  readonly blockCount: number
  readonly headCount: number
  readonly headCountKv: number
  readonly feedForwardLength: number
  readonly contextLength: number
  readonly ropeFreqBase: number
  /** Tied models reuse token_embd as the output projection and have no output.weight. */
  readonly tiedEmbeddings: boolean
  readonly defaultQuant: TestModelQuant
}

const LLAMA3_VOCAB = 128_256
const LLAMA3_ROPE_BASE = 500_000

export const TEST_MODEL_SHAPES: Readonly<Record<TestModelShapeName, TestModelShape>> = {
  tiny: {
    name: 'tiny',
    description: 'a tiny 2-layer Llama for fast tests',
    vocabSize: 512,
    embeddingLength: 128,
    blockCount: 2,
    headCount: 4,
    headCountKv: 2,
    feedForwardLength: 256,
    contextLength: 2048,
    ropeFreqBase: 10_000,
    // Untied, so tests exercise the output.weight path that the tied 1B/3B shapes skip.
    tiedEmbeddings: false,
    defaultQuant: 'q8_0'
  },
  'llama-1b': {
    name: 'llama-1b',
    description: 'the shape of Llama 3.2 1B',
    vocabSize: LLAMA3_VOCAB,
    embeddingLength: 2048,
    blockCount: 16,
    headCount: 32,
    headCountKv: 8,
    feedForwardLength: 8192,
    contextLength: 131_072,
    ropeFreqBase: LLAMA3_ROPE_BASE,
    tiedEmbeddings: true,
    defaultQuant: 'q8_0'
  },
  'llama-3b': {
    name: 'llama-3b',
    description: 'the shape of Llama 3.2 3B',
    vocabSize: LLAMA3_VOCAB,
    embeddingLength: 3072,
    blockCount: 28,
    headCount: 24,
    headCountKv: 8,
    feedForwardLength: 8192,
    contextLength: 131_072,
    ropeFreqBase: LLAMA3_ROPE_BASE,
    tiedEmbeddings: true,
    defaultQuant: 'q8_0'
  },
  'llama-8b': {
    name: 'llama-8b',
    description: 'the shape of Llama 3.1 8B',
    vocabSize: LLAMA3_VOCAB,
    embeddingLength: 4096,
    blockCount: 32,
    headCount: 32,
    headCountKv: 8,
    feedForwardLength: 14_336,
    contextLength: 131_072,
    ropeFreqBase: LLAMA3_ROPE_BASE,
    tiedEmbeddings: false,
    defaultQuant: 'q4_0'
  }
}

export function headDimension(shape: TestModelShape): number {
  return shape.embeddingLength / shape.headCount
}

export function isTestModelShapeName(value: string): value is TestModelShapeName {
  return (TEST_MODEL_SHAPE_NAMES as readonly string[]).includes(value)
}

export function isTestModelQuant(value: string): value is TestModelQuant {
  return (TEST_MODEL_QUANTS as readonly string[]).includes(value)
}
