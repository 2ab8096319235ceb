import { z } from 'zod'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  BackendError,
  createLlamaCppBackend,
  type ChatMessage,
  type GenerationRequest,
  type LlamaCppBackend
} from '../../../src/core/llm/index.js'
import { loadTestLlama, TEST_THREADS, tinyModelPath } from '../../helpers/testModel.js'

// Random weights: assert on structure, counts and termination, never on content.
const SYSTEM = `You are a human participating in an online chatroom. Your name is Alice. ${'Your traits: outgoing, curious, stubborn, kind. '.repeat(6)}`

let backend: LlamaCppBackend

// These tests check the longest-prefix reuse mechanics; the default, chunk-aligned reuse has its own below.
async function makeBackend(options: { sequences: number; contextSize: number; batchSize?: number; prefixReuse?: 'aligned' | 'longest' }) {
  return createLlamaCppBackend({ modelPath: await tinyModelPath(), llama: await loadTestLlama(), threads: TEST_THREADS, prefixReuse: 'longest', ...options })
}

function turn(agent: string, history: ChatMessage[] = [], extra: Partial<GenerationRequest> = {}): GenerationRequest {
  return {
    // The name comes first so that agents share little prefix with each other.
    messages: [{ role: 'system', content: `Your name is ${agent}. ${SYSTEM}` }, ...history, { role: 'user', content: `User Bob posted: what do you think?\nUser ${agent} posted:` }],
    maxTokens: 24,
    sampling: { temperature: 0.9, seed: 7 },
    agentKey: agent,
    ...extra
  }
}

beforeAll(async () => {
  backend = await makeBackend({ sequences: 8, contextSize: 512 })
})

afterAll(async () => {
  await backend?.dispose()
})

describe('the llama.cpp backend', () => {
  it('streams text in order, and the pieces join to the final text', async () => {
    const pieces: string[] = []
    const result = await backend.generate(turn('stream', [], { maxTokens: 32 }), { onTokens: (text) => pieces.push(text) })
    expect(pieces.length).toBeGreaterThan(1)
    expect(pieces.every((piece) => piece.length > 0)).toBe(true)
    expect(pieces.join('')).toBe(result.text)
    expect(result.stats).toMatchObject({ generatedTokens: 32, stopReason: 'max-tokens', trimmed: null })
    expect(result.stats.timeToFirstTokenMs).toBeGreaterThan(0)
    expect(result.stats.tokensPerSecond).toBeGreaterThan(0)
    expect(result.stats.durationMs).toBeGreaterThanOrEqual(result.stats.timeToFirstTokenMs!)
  })

  it('stops within one token of an abort, resolves with the text so far, and the sequence is reusable at once', async () => {
    const controller = new AbortController()
    const pieces: string[] = []
    const request = turn('aborter', [], { maxTokens: 200 })
    const aborted = await backend.generate(request, {
      signal: controller.signal,
      onTokens: (text) => {
        if (pieces.push(text) === 5) controller.abort()
      }
    })
    expect(aborted.stats.stopReason).toBe('aborted')
    // Nothing after the abort: the token in flight is dropped. A piece is at most 4 byte tokens.
    expect(pieces).toHaveLength(5)
    expect(aborted.text).toBe(pieces.join(''))
    expect(aborted.stats.generatedTokens).toBeLessThanOrEqual(5 * 4)

    const next = await backend.generate(request)
    expect(next.stats.stopReason).toBe('max-tokens')
    expect(next.stats.reusedPromptTokens).toBeGreaterThan(0)
  })

  it('rejects with BackendError aborted when the signal fired before the request started', async () => {
    await expect(backend.generate(turn('early'), { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'aborted' })
  })

  it('runs 8 concurrent requests on one context, and queues the ones beyond its sequences', async () => {
    const results = await Promise.all(Array.from({ length: 11 }, (_, index) => backend.generate(turn(`crowd-${index}`, [], { maxTokens: 16 }))))
    // Every one finishes on its own terms. Which requests share a decode batch depends on timing,
    // and llama.cpp's numbers (so a random-weight model's sampled tokens) on the batch: a request
    // may hit an end-of-text token or a stop string before its 16 tokens, as it did once under load.
    for (const { stats } of results) {
      expect(['max-tokens', 'end-of-text', 'stop-string']).toContain(stats.stopReason)
      expect(stats.generatedTokens).toBeLessThanOrEqual(16)
    }
    expect(results.filter((result) => result.stats.stopReason === 'max-tokens').length).toBeGreaterThan(0)
  })

  it('gives the same text for the same seed on one sequence, reusing the whole prompt but its last token', async () => {
    const request = turn('determinist', [], { maxTokens: 48, sampling: { temperature: 0.9, seed: 42 } })
    const first = await backend.generate(request)
    const second = await backend.generate(request)
    expect(second.text).toBe(first.text)
    expect(second.stats.reusedPromptTokens).toBe(first.stats.promptTokens + first.stats.reusedPromptTokens - 1)
    const otherSeed = await backend.generate({ ...request, sampling: { temperature: 0.9, seed: 43 } })
    expect(otherSeed.text).not.toBe(first.text)
  })

  it("reuses an agent's evaluated prefix on its next turn, even after other agents spoke", async () => {
    const first = await backend.generate(turn('carol'))
    await Promise.all(['dave', 'erin'].map((agent) => backend.generate(turn(agent))))
    const history: ChatMessage[] = [
      { role: 'user', content: 'User Bob posted: what do you think?\nUser carol posted:' },
      { role: 'assistant', content: first.text }
    ]
    const second = await backend.generate(turn('carol', history))
    expect(second.stats.reusedPromptTokens).toBeGreaterThan(0)
    expect(second.stats.promptTokens).toBeLessThan(first.stats.promptTokens)
  })

  it('with aligned prefix reuse (the default), reuses only whole aligned batches and says what a fresh backend says', async () => {
    const aligned = await makeBackend({ sequences: 2, contextSize: 512, batchSize: 16, prefixReuse: 'aligned' })
    const fresh = await makeBackend({ sequences: 2, contextSize: 512, batchSize: 16, prefixReuse: 'aligned' })
    try {
      expect(aligned.info.prefixReuse).toBe('aligned')
      const first = await aligned.generate(turn('aligner', [], { maxTokens: 40 }))
      const history: ChatMessage[] = [
        { role: 'user', content: 'User Bob posted: what do you think?\nUser aligner posted:' },
        { role: 'assistant', content: first.text }
      ]
      const cached = await aligned.generate(turn('aligner', history, { maxTokens: 40 }))
      const reference = await fresh.generate(turn('aligner', history, { maxTokens: 40 }))
      expect(cached.text).toBe(reference.text)
      expect(reference.stats.reusedPromptTokens).toBe(0)
      expect(cached.stats.reusedPromptTokens).toBeGreaterThanOrEqual(16)
      expect(cached.stats.reusedPromptTokens % 16).toBe(0)
    } finally {
      await aligned.dispose()
      await fresh.dispose()
    }
  })

  it('cuts the answer at the first stop string and drops it', async () => {
    const result = await backend.generate(turn('stopper', [], { maxTokens: 200, stop: ['e', 'a', 'o', ' '] }))
    expect(result.stats.stopReason).toBe('stop-string')
    expect(result.text).not.toMatch(/[eao ]/)
  })

  it("renders SDF's alpaca prompt and honours SDF's stop strings", async () => {
    const result = await backend.generate({
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: 'User Bob posted: hello\nUser Alice posted:' }
      ],
      promptFormat: 'sdf-alpaca',
      stop: ['###', '\n\n', 'User'],
      maxTokens: 40,
      sampling: { temperature: 0.2, topP: 0.95, topK: 40, minP: 0.05, repeatPenalty: 1.1, seed: 42 }
    })
    expect(['max-tokens', 'stop-string', 'end-of-text']).toContain(result.stats.stopReason)
    expect(result.text).not.toMatch(/###|\n\n|User/)
  })

  describe('with a JSON schema', () => {
    const Annotation = z.object({ label: z.enum(['toxic', 'civil']), toxicity: z.number().int().min(1).max(5), sarcastic: z.boolean() })
    const jsonSchema = z.toJSONSchema(Annotation) as Record<string, unknown>

    it('always returns output that parses and validates', async () => {
      for (let seed = 0; seed < 6; seed++) {
        const result = await backend.generate(turn('annotator', [], { jsonSchema, maxTokens: 80, sampling: { temperature: 1, seed } }))
        expect(Annotation.parse(JSON.parse(result.text))).toEqual(result.json)
      }
    })

    it('streams the validated text once', async () => {
      const pieces: string[] = []
      const result = await backend.generate(turn('annotator', [], { jsonSchema, maxTokens: 80 }), { onTokens: (text) => pieces.push(text) })
      expect(pieces).toEqual([result.text])
    })

    it('retries once, then fails with invalid-output carrying the raw text', async () => {
      const error = await backend.generate(turn('annotator', [], { jsonSchema, maxTokens: 3 })).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(BackendError)
      expect(error).toMatchObject({ code: 'invalid-output', message: expect.stringContaining('after 2 attempts') })
      expect((error as BackendError).rawOutput).toMatch(/^\{/)
    })
  })

  describe('in a small context (256 tokens)', () => {
    let small: LlamaCppBackend

    beforeAll(async () => {
      small = await makeBackend({ sequences: 2, contextSize: 256 })
    })

    afterAll(async () => {
      await small?.dispose()
    })

    const longHistory: ChatMessage[] = Array.from({ length: 16 }, (_, index) => ({
      role: index % 2 === 0 ? 'user' : 'assistant',
      content: `message ${index}: ${'people keep talking about the weather here '.repeat(3)}`
    }))

    it('drops the oldest history instead of overflowing, and reports the trim', async () => {
      const result = await small.generate(turn('talker', longHistory, { maxTokens: 64 }))
      expect(result.stats.stopReason).toBe('max-tokens')
      expect(result.stats.trimmed?.removedMessages).toBeGreaterThan(0)
      expect(result.stats.trimmed?.removedTokens).toBeGreaterThan(0)
      expect(result.stats.promptTokens + result.stats.reusedPromptTokens + 64).toBeLessThanOrEqual(256)
    })

    it('cuts the oldest text of a single message that is too long on its own', async () => {
      const result = await small.generate({
        messages: [
          { role: 'system', content: 'You are Alice.' },
          { role: 'user', content: 'the discussion so far: '.repeat(200) + 'User Alice posted:' }
        ],
        promptFormat: 'sdf-alpaca',
        maxTokens: 32
      })
      expect(result.stats.trimmed).toMatchObject({ removedMessages: 0, removedTokens: expect.any(Number) })
      expect(result.stats.trimmed!.removedTokens).toBeGreaterThan(200)
      expect(result.stats.generatedTokens).toBe(32)
    })

    it('with more agents than sequences, evicts the least recently used agent', async () => {
      const say = (agent: string, history: ChatMessage[] = []) =>
        small.generate({
          messages: [{ role: 'system', content: `${agent} is a regular in this chatroom and likes long words.` }, ...history, { role: 'user', content: `${agent}, your turn.` }],
          maxTokens: 8,
          agentKey: agent
        })
      const followUp = (first: string) => [
        { role: 'user' as const, content: 'your turn.' },
        { role: 'assistant' as const, content: first }
      ]
      const ann = await say('Ann')
      const ben = await say('Ben')
      await say('Cyd') // two sequences: Ann, the least recently used, loses hers
      const benAgain = await say('Ben', followUp(ben.text))
      const annAgain = await say('Ann', followUp(ann.text))
      const annPrompt = ann.stats.promptTokens + ann.stats.reusedPromptTokens
      expect(benAgain.stats.reusedPromptTokens).toBeGreaterThan(10)
      expect(annAgain.stats.reusedPromptTokens).toBeLessThan(annPrompt / 2)
    })

    it('rejects maxTokens larger than the context with context-overflow, not a crash', async () => {
      await expect(small.generate(turn('greedy', [], { maxTokens: 300 }))).rejects.toMatchObject({ code: 'context-overflow' })
      expect((await small.generate(turn('greedy'))).stats.stopReason).toBe('max-tokens')
    })
  })

  it('rejects an invalid request with invalid-request', async () => {
    await expect(backend.generate({ messages: [], maxTokens: 8 })).rejects.toMatchObject({ code: 'invalid-request' })
  })

  it('after dispose, aborts running requests and refuses new ones', async () => {
    const doomed = await makeBackend({ sequences: 1, contextSize: 256 })
    const running = doomed.generate(turn('late', [], { maxTokens: 150 }))
    const waiting = doomed.generate(turn('later', [], { maxTokens: 150 })).catch((error: unknown) => error)
    await new Promise((resolve) => setTimeout(resolve, 20))
    await doomed.dispose()
    await expect(running).resolves.toMatchObject({ stats: { stopReason: 'aborted' } })
    expect(await waiting).toMatchObject({ code: 'disposed' })
    await expect(doomed.generate(turn('after'))).rejects.toMatchObject({ code: 'disposed' })
  })
})
