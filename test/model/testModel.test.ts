import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import {
  ChatMLChatWrapper,
  LlamaChatSession,
  LlamaCompletion,
  LlamaVocabularyType,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel
} from 'node-llama-cpp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTestModel } from '../../src/core/models/index.js'
import { tempDir } from '../helpers/tempDir.js'
import { loadTestLlama, TEST_THREADS, tinyModelPath } from '../helpers/testModel.js'

const run = promisify(execFile)
const sdf = fileURLToPath(new URL('../../bin/sdf', import.meta.url))

let llama: Llama
let model: LlamaModel

beforeAll(async () => {
  llama = await loadTestLlama()
  model = await llama.loadModel({ modelPath: await tinyModelPath() })
})

afterAll(async () => {
  await model?.dispose()
})

/** Runs `body` with a fresh small single-threaded context, disposed afterwards. */
async function withContext<T>(sequences: number, body: (context: LlamaContext) => Promise<T>): Promise<T> {
  const context = await model.createContext({ contextSize: 512, sequences, threads: TEST_THREADS })
  try {
    return await body(context)
  } finally {
    await context.dispose()
  }
}

async function complete(sequence: LlamaContextSequence, prompt: string, seed: number) {
  let tokens = 0
  const completion = new LlamaCompletion({ contextSequence: sequence })
  const { response, metadata } = await completion.generateCompletionWithMeta(prompt, {
    maxTokens: 64,
    temperature: 0.8,
    seed,
    onToken: (chunk) => (tokens += chunk.length)
  })
  return { text: response, tokens, stopReason: metadata.stopReason }
}

describe('the tiny test model in node-llama-cpp', () => {
  it('loads on the CPU as a Llama with a SentencePiece vocabulary and a 2048-token training context', () => {
    expect(model.fileInfo.metadata.general.architecture).toBe('llama')
    expect(model.vocabularyType).toBe(LlamaVocabularyType.spm)
    expect(model.trainContextSize).toBe(2048)
    expect(model.tokens.bos).toBe(1)
    expect(model.tokens.eos).toBe(2)
    expect(model.tokens.eot).toBe(4)
  })

  it('tokenizes "hello world" and detokenizes it back unchanged', () => {
    const tokens = model.tokenize('hello world')
    expect(tokens.length).toBeGreaterThan(0)
    expect(model.detokenize(tokens)).toBe('hello world')
  })

  it('generates up to 64 tokens and stops either at the limit or at an end-of-generation token', async () => {
    await withContext(1, async (context) => {
      const result = await complete(context.getSequence(), 'The discussion began', 1)
      expect(['maxTokens', 'eogToken']).toContain(result.stopReason)
      if (result.stopReason === 'maxTokens') expect(result.tokens).toBe(64)
      else expect(result.tokens).toBeLessThan(64)
    })
  })

  it('generates the same text for the same seed', async () => {
    const first = await withContext(1, (context) => complete(context.getSequence(), 'Once upon a time', 7))
    const again = await withContext(1, (context) => complete(context.getSequence(), 'Once upon a time', 7))
    expect(again.text).toBe(first.text)
    expect(again.tokens).toBe(first.tokens)
  })

  it('generates on two sequences of one context at the same time', async () => {
    await withContext(2, async (context) => {
      const results = await Promise.all([
        complete(context.getSequence(), 'First speaker:', 1),
        complete(context.getSequence(), 'Second speaker:', 2)
      ])
      for (const result of results) {
        expect(result.tokens).toBeGreaterThan(0)
        expect(result.tokens).toBeLessThanOrEqual(64)
      }
    })
  })

  it('resolves the ChatML chat wrapper from its embedded chat template', async () => {
    await withContext(1, async (context) => {
      const session = new LlamaChatSession({ contextSequence: context.getSequence() })
      expect(session.chatWrapper).toBeInstanceOf(ChatMLChatWrapper)
      const answer = await session.prompt('Do you agree?', { maxTokens: 32, seed: 1 })
      expect(typeof answer).toBe('string')
      expect(session.getChatHistory().at(-1)?.type).toBe('model')
    })
  })

  it('obeys a JSON-schema grammar, producing JSON that parses and fits the schema', async () => {
    const grammar = await llama.createGrammarForJsonSchema({
      type: 'object',
      properties: {
        stance: { enum: ['agree', 'disagree'] },
        confident: { type: 'boolean' },
        note: { type: 'string', maxLength: 12 }
      }
    } as const)
    await withContext(1, async (context) => {
      const session = new LlamaChatSession({ contextSequence: context.getSequence() })
      const text = await session.prompt('Reply in JSON.', { grammar, maxTokens: 256, seed: 3 })
      const parsed = grammar.parse(text)
      expect(JSON.parse(text)).toEqual(parsed)
      expect(['agree', 'disagree']).toContain(parsed.stance)
      expect(typeof parsed.confident).toBe('boolean')
      expect(parsed.note.length).toBeLessThanOrEqual(12)
    })
  })
})

describe('sdf make-test-model', () => {
  it('writes the same model as the library for the same seed, and it loads', async () => {
    const dir = await tempDir()
    const out = join(dir, 'nested', 'cli.gguf')
    const { stdout } = await run(process.execPath, [sdf, 'make-test-model', '--out', out, '--seed', '7'])
    expect(stdout).toContain(out)
    const library = await makeTestModel({ out: join(dir, 'library.gguf'), shape: 'tiny', seed: 7 })
    expect((await readFile(out)).equals(await readFile(library.path))).toBe(true)
    const loaded = await llama.loadModel({ modelPath: out })
    expect(loaded.tokenize('hello').length).toBeGreaterThan(0)
    await loaded.dispose()
  })

  it('rejects an unknown shape with an error naming the option and the allowed values', async () => {
    const dir = await tempDir()
    const failure = await run(process.execPath, [sdf, 'make-test-model', '--out', join(dir, 'x.gguf'), '--shape', 'huge']).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error
    )
    expect(failure?.code).toBe(1)
    expect(failure?.stderr).toContain('--shape must be one of tiny, llama-1b, llama-3b, llama-8b')
  })

  it('explains in its help that the weights are random and the output gibberish', async () => {
    const { stdout } = await run(process.execPath, [sdf, 'make-test-model', '--help'])
    expect(stdout).toMatch(/random weights/i)
    expect(stdout).toMatch(/gibberish/i)
    expect(stdout).toContain('llama-8b')
  })
})
