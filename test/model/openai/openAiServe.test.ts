import { spawn } from 'node:child_process'
import { copyFile, open, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  createLlamaCppBackend,
  createOpenAiBackend,
  type ChatMessage,
  type GenerationRequest,
  type LlamaCppBackend,
  type OpenAiBackend
} from '../../../src/core/llm/index.js'
import { REPO_ROOT } from '../../helpers/fixtures.js'
import { runSdf } from '../../helpers/runCli.js'
import { tempDir } from '../../helpers/tempDir.js'
import { loadTestLlama, TEST_THREADS, tinyModelPath } from '../../helpers/testModel.js'
import { startTestServer, TOKEN } from '../../unit/server/serverHarness.js'

// Random weights: assert on structure, order, counts and agreement between paths, never on content.
const SYSTEM = 'You are a human participating in an online chatroom. Your name is Alice.'

function turn(extra: Partial<GenerationRequest> = {}): GenerationRequest {
  const messages: ChatMessage[] = [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: 'User Bob posted: what do you think?\nUser Alice posted:' }
  ]
  return { messages, maxTokens: 24, sampling: { temperature: 0.9, seed: 7 }, ...extra }
}

let model: LlamaCppBackend
let client: OpenAiBackend

beforeAll(async () => {
  model = await createLlamaCppBackend({ modelPath: await tinyModelPath(), llama: await loadTestLlama(), threads: TEST_THREADS, sequences: 2, contextSize: 512 })
})

afterAll(async () => {
  await model?.dispose()
})

describe('the OpenAI backend against sdf serve --openai (llama.cpp, tiny model)', () => {
  /** The harness stops its server after each test, so each test starts its own. */
  async function serve() {
    const { server } = await startTestServer({ backend: model, openai: { contextSize: 512 } })
    client = createOpenAiBackend({ endpoints: [{ baseUrl: server.openAiBaseUrl!, apiKey: TOKEN }], model: model.modelName })
    return server
  }

  it('streams the pieces in order, and they join to the final text, with usage from the server', async () => {
    await serve()
    const pieces: string[] = []
    const result = await client.generate(turn(), { onTokens: (text) => pieces.push(text) })
    expect(pieces.length).toBeGreaterThan(1)
    expect(pieces.join('')).toBe(result.text)
    expect(result.stats).toMatchObject({ generatedTokens: 24, stopReason: 'max-tokens' })
    expect(result.stats.promptTokens + result.stats.reusedPromptTokens).toBeGreaterThan(10)
    expect(result.stats.timeToFirstTokenMs).toBeGreaterThan(0)
    expect(result.stats.tokensPerSecond).toBeGreaterThan(0)
  })

  it('gives the same text streamed, not streamed, and straight from the backend, for one seed', async () => {
    const server = await serve()
    const direct = await model.generate(turn())
    const streamed = await client.generate(turn())
    const whole = await createOpenAiBackend({ endpoints: [{ baseUrl: server.openAiBaseUrl!, apiKey: TOKEN }], model: model.modelName, stream: false }).generate(turn())
    expect(streamed.text).toBe(direct.text)
    expect(whole.text).toBe(direct.text)
    expect(whole.stats).toMatchObject({ generatedTokens: 24, stopReason: 'max-tokens' })
  })

  it('sends sdf-alpaca as raw text to /v1/completions and gets what the backend gives for the same prompt', async () => {
    await serve()
    const request = turn({ promptFormat: 'sdf-alpaca', stop: ['###', '\n\n', 'User'], maxTokens: 32 })
    const direct = await model.generate(request)
    const pieces: string[] = []
    const viaServer = await client.generate(request, { onTokens: (text) => pieces.push(text) })
    expect(viaServer.text).toBe(direct.text)
    expect(pieces.join('')).toBe(viaServer.text)
    expect(viaServer.text).not.toMatch(/###|\n\n|User/)
  })

  it('returns JSON that parses and validates against the schema', async () => {
    await serve()
    const Annotation = z.object({ label: z.enum(['toxic', 'civil']), toxicity: z.number().int().min(1).max(5), sarcastic: z.boolean() })
    const jsonSchema = z.toJSONSchema(Annotation) as Record<string, unknown>
    for (let seed = 0; seed < 3; seed++) {
      const result = await client.generate(turn({ jsonSchema, maxTokens: 80, sampling: { temperature: 1, seed } }))
      expect(Annotation.parse(JSON.parse(result.text))).toEqual(result.json)
    }
  })

  it('stops at once on abort, and the server frees the sequence for the next request', async () => {
    await serve()
    const controller = new AbortController()
    const pieces: string[] = []
    const aborted = await client.generate(turn({ maxTokens: 200 }), {
      signal: controller.signal,
      onTokens: (text) => {
        if (pieces.push(text) === 3) controller.abort()
      }
    })
    expect(aborted.stats.stopReason).toBe('aborted')
    expect(pieces).toHaveLength(3)
    expect(aborted.text).toBe(pieces.join(''))
    // Both sequences must be free again: two requests at once finish.
    const next = await Promise.all([client.generate(turn({ maxTokens: 8 })), client.generate(turn({ maxTokens: 8 }))])
    expect(next.map((result) => result.stats.stopReason)).toEqual(['max-tokens', 'max-tokens'])
  })
})

describe('bin/sdf serve --openai --model', () => {
  it('loads the model, prints the base URL and key, and serves OpenAI clients until Ctrl+C', async () => {
    const workspace = join(await tempDir(), 'ws')
    const args = ['serve', '--openai', '--model', await tinyModelPath(), '--threads', '1', '--gpu', 'cpu', '--sequences', '1', '--context-size', '256']
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'sdf'), ...args, '--port', '0', '--token', TOKEN, '--workspace', workspace], {
      cwd: REPO_ROOT,
      env: { ...process.env }
    })
    let output = ''
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    try {
      const baseUrl = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no base URL printed:\n${output}`)), 60_000)
        const onData = (chunk: Buffer) => {
          output += chunk.toString()
          const found = /base URL\s+(http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(output)?.[1]
          if (found && output.includes('Press Ctrl+C')) {
            clearTimeout(timer)
            resolve(found)
          }
        }
        child.stdout.on('data', onData)
        child.stderr.on('data', onData)
        void exited.then((code) => reject(new Error(`sdf serve exited with ${code}:\n${output}`)))
      })
      expect(output).toContain(`API key   ${TOKEN}`)
      expect(output).toMatch(/Model: .+ \(CPU, 1 sequence × 256 tokens\)/)
      const modelId = basename(await tinyModelPath(), '.gguf')
      expect(output).toContain(`model     ${modelId}`)

      const models = (await (await fetch(`${baseUrl}/models`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json()) as { data: { id: string }[] }
      expect(models.data.map((entry) => entry.id)).toEqual([modelId])
      const served = createOpenAiBackend({ endpoints: [{ baseUrl, apiKey: TOKEN }], model: modelId })
      const pieces: string[] = []
      const result = await served.generate(turn({ maxTokens: 12 }), { onTokens: (text) => pieces.push(text) })
      expect(pieces.join('')).toBe(result.text)
      expect(result.stats.generatedTokens).toBe(12)
    } finally {
      child.kill('SIGINT')
    }
    expect(await exited).toBe(0)
  })

  it('refuses a truncated GGUF file with a clear error and exit code 1', async () => {
    const dir = await tempDir()
    const truncated = join(dir, 'truncated.gguf')
    const source = await tinyModelPath()
    await copyFile(source, truncated)
    const handle = await open(truncated, 'r+')
    await handle.truncate(Math.floor((await stat(source)).size / 2))
    await handle.close()
    const run = await runSdf(['serve', '--workspace', join(dir, 'ws'), '--port', '0', '--token', TOKEN, '--openai', '--model', truncated, '--gpu', 'cpu', '--threads', '1'])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`--model: ${truncated}`)
    expect(run.stderr).toMatch(/truncated|cut off|shorter/i)
  })
})
