import { describe, expect, it } from 'vitest'
import {
  BackendError,
  createOpenAiBackend,
  parseSseStream,
  renderAlpacaPrompt,
  type GenerateCallbacks,
  type GenerationRequest,
  type GenerationResult,
  type InferenceBackend
} from '../../../../src/core/llm/index.js'
import { startTestServer, TOKEN } from '../../server/serverHarness.js'
import { delay } from './fakeOpenAiServer.js'

type Script = (request: GenerationRequest, callbacks: GenerateCallbacks) => Promise<GenerationResult>

/** Stands in for the loaded model: records what it was asked, and answers as its script says. */
class ScriptedBackend implements InferenceBackend {
  readonly kind = 'llama.cpp'
  readonly modelName = 'tiny-test'
  readonly requests: GenerationRequest[] = []
  readonly signals: AbortSignal[] = []
  script: Script = (_request, callbacks) => speak(['Hello', ', ', 'world'], callbacks)

  generate(request: GenerationRequest, callbacks: GenerateCallbacks = {}): Promise<GenerationResult> {
    this.requests.push(request)
    if (callbacks.signal) this.signals.push(callbacks.signal)
    return this.script(request, callbacks)
  }

  async dispose(): Promise<void> {}
}

function stats(overrides: Partial<GenerationResult['stats']> = {}): GenerationResult['stats'] {
  return {
    promptTokens: 20,
    reusedPromptTokens: 5,
    generatedTokens: 3,
    timeToFirstTokenMs: 1,
    tokensPerSecond: 10,
    durationMs: 5,
    stopReason: 'end-of-text',
    trimmed: null,
    ...overrides
  }
}

async function speak(pieces: string[], callbacks: GenerateCallbacks, overrides: Partial<GenerationResult['stats']> = {}): Promise<GenerationResult> {
  for (const piece of pieces) {
    await delay(2)
    callbacks.onTokens?.(piece)
  }
  return { text: pieces.join(''), stats: stats({ generatedTokens: pieces.length, ...overrides }) }
}

async function serveOpenAi() {
  const backend = new ScriptedBackend()
  const { server } = await startTestServer({ backend, openai: { contextSize: 512 } })
  const base = `http://127.0.0.1:${server.port}/v1`
  const post = (path: string, body: unknown, token: string | null = TOKEN) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token === null ? {} : { Authorization: `Bearer ${token}` }) },
      body: typeof body === 'string' ? body : JSON.stringify(body)
    })
  return { backend, server, base, post }
}

const chat = { model: 'tiny-test', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 16 }

async function events(response: Response): Promise<unknown[]> {
  const found: unknown[] = []
  for await (const event of parseSseStream(response.body!)) found.push(event.data === '[DONE]' ? '[DONE]' : JSON.parse(event.data))
  return found
}

describe('sdf serve --openai: the /v1 routes', () => {
  describe('auth', () => {
    it('refuses a request without the token, or with a wrong one, with an OpenAI-style 401', async () => {
      const { base, post, backend } = await serveOpenAi()
      for (const response of [await fetch(`${base}/models`), await post('/chat/completions', chat, null), await post('/chat/completions', chat, 'wrong-token-0123456789')]) {
        expect(response.status).toBe(401)
        expect(response.headers.get('content-type')).toContain('application/json')
        expect(response.headers.get('www-authenticate')).toContain('Bearer')
        expect(await response.json()).toEqual({
          error: { message: expect.stringContaining('Authorization: Bearer <token>'), type: 'authentication_error', param: null, code: 'invalid_api_key' }
        })
      }
      expect(backend.requests).toHaveLength(0)
    })

    it('lists the model for the token as API key', async () => {
      const { base } = await serveOpenAi()
      const response = await fetch(`${base}/models`, { headers: { Authorization: `Bearer ${TOKEN}` } })
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual({ object: 'list', data: [{ id: 'tiny-test', object: 'model', created: expect.any(Number), owned_by: 'sdf-studio' }] })
    })

    it('leaves the rest of the server as it was: the UI still answers 401 in text without the token', async () => {
      const { server } = await serveOpenAi()
      const response = await fetch(`http://127.0.0.1:${server.port}/`)
      expect(response.status).toBe(401)
      expect(response.headers.get('content-type')).toContain('text/plain')
      expect(server.openAiBaseUrl).toBe(`http://127.0.0.1:${server.port}/v1`)
    })
  })

  describe('POST /v1/chat/completions', () => {
    it('answers one chat.completion with usage, mapping the request onto the backend', async () => {
      const { post, backend } = await serveOpenAi()
      const response = await post('/chat/completions', {
        model: 'tiny-test',
        messages: [
          { role: 'developer', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'text', text: 'Hi ' }, { type: 'text', text: 'there' }] },
          { role: 'assistant', content: null },
          { role: 'user', content: 'Again' }
        ],
        max_tokens: 16,
        temperature: 0.3,
        top_p: 0.9,
        top_k: 40,
        min_p: 0.05,
        repetition_penalty: 1.1,
        seed: 3,
        stop: 'User'
      })
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual({
        id: expect.stringMatching(/^chatcmpl-/),
        object: 'chat.completion',
        created: expect.any(Number),
        model: 'tiny-test',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Hello, world' }, logprobs: null, finish_reason: 'stop' }],
        usage: { prompt_tokens: 25, completion_tokens: 3, total_tokens: 28, prompt_tokens_details: { cached_tokens: 5 } }
      })
      expect(backend.requests[0]).toEqual({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi there' },
          { role: 'assistant', content: '' },
          { role: 'user', content: 'Again' }
        ],
        maxTokens: 16,
        sampling: { temperature: 0.3, topP: 0.9, topK: 40, minP: 0.05, repeatPenalty: 1.1, seed: 3 },
        stop: ['User'],
        promptFormat: 'chat-template'
      })
    })

    it('streams OpenAI chunks: the role, each piece in order, the finish reason, the usage, then [DONE]', async () => {
      const { post, backend } = await serveOpenAi()
      backend.script = (_request, callbacks) => speak(['a', 'b', 'c'], callbacks, { stopReason: 'max-tokens' })
      const response = await post('/chat/completions', { ...chat, stream: true, stream_options: { include_usage: true } })
      expect(response.headers.get('content-type')).toContain('text/event-stream')
      const received = (await events(response)) as { choices: { delta: unknown; finish_reason: unknown }[]; usage?: unknown }[]
      expect(received.at(-1)).toBe('[DONE]')
      const chunks = received.slice(0, -1)
      expect(chunks.map((chunk) => chunk.choices[0]?.delta ?? null)).toEqual([{ role: 'assistant', content: '' }, { content: 'a' }, { content: 'b' }, { content: 'c' }, {}, null])
      expect(chunks[4]!.choices[0]!.finish_reason).toBe('length')
      expect(chunks[5]).toMatchObject({ object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 25, completion_tokens: 3 } })
      expect(chunks.slice(0, 5).every((chunk) => chunk.usage === null)).toBe(true)
    })

    it('passes json_schema and json_object response formats on as the JSON schema to enforce', async () => {
      const { post, backend } = await serveOpenAi()
      backend.script = (_request, callbacks) => speak(['{"ok":true}'], callbacks)
      const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] }
      await post('/chat/completions', { ...chat, response_format: { type: 'json_schema', json_schema: { name: 'verdict', schema, strict: true } } })
      await post('/chat/completions', { ...chat, response_format: { type: 'json_object' } })
      expect(backend.requests.map((request) => request.jsonSchema)).toEqual([schema, { type: 'object', additionalProperties: true }])
    })

    it('answers the raw text when even the backend retry did not validate, so the client can report it', async () => {
      const { post, backend } = await serveOpenAi()
      backend.script = async () => {
        throw new BackendError('invalid-output', 'did not match', { rawOutput: '{"ok":' })
      }
      const response = await post('/chat/completions', { ...chat, response_format: { type: 'json_object' } })
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ choices: [{ message: { content: '{"ok":' }, finish_reason: 'length' }] })
    })

    it('validates the request and answers OpenAI-style errors with proper status codes', async () => {
      const { post, backend } = await serveOpenAi()
      const cases: [unknown, number, Record<string, unknown>][] = [
        ['{not json', 400, { code: 'invalid_json', type: 'invalid_request_error' }],
        [{ model: 'tiny-test' }, 400, { param: 'messages', type: 'invalid_request_error' }],
        [{ ...chat, messages: [{ role: 'tool', content: 'x' }] }, 400, { param: 'messages.0.role' }],
        [{ ...chat, temperature: 9 }, 400, { param: 'temperature' }],
        [{ ...chat, n: 2 }, 400, { message: expect.stringContaining('only n = 1 is supported') }],
        [{ ...chat, model: 'gpt-4o' }, 404, { code: 'model_not_found', message: expect.stringContaining('it serves "tiny-test"') }]
      ]
      for (const [body, status, error] of cases) {
        const response = await post('/chat/completions', body)
        expect(response.status).toBe(status)
        expect((await response.json()) as unknown).toEqual({ error: expect.objectContaining(error) })
      }
      expect(backend.requests).toHaveLength(0)
    })

    it('maps backend failures: a prompt too long for the context is a 400, a disposed model a 503', async () => {
      const { post, backend } = await serveOpenAi()
      backend.script = async () => {
        throw new BackendError('context-overflow', 'the prompt does not fit')
      }
      const overflow = await post('/chat/completions', { ...chat, stream: true })
      expect(overflow.status).toBe(400)
      expect(await overflow.json()).toMatchObject({ error: { code: 'context_length_exceeded', message: 'the prompt does not fit' } })
      backend.script = async () => {
        throw new BackendError('disposed', 'gone')
      }
      expect((await post('/chat/completions', chat)).status).toBe(503)
    })

    it('a failure after the stream began ends it with an error event and no [DONE]', async () => {
      const { post, backend } = await serveOpenAi()
      backend.script = async (_request, callbacks) => {
        callbacks.onTokens?.('partial')
        throw new BackendError('model-invalid', 'llama.cpp crashed')
      }
      const received = await events(await post('/chat/completions', { ...chat, stream: true }))
      expect(received.at(-1)).toEqual({ error: expect.objectContaining({ message: 'llama.cpp crashed' }) })
      expect(received).not.toContain('[DONE]')
    })

    it('a client that disconnects aborts its generation', async () => {
      const { post, backend } = await serveOpenAi()
      backend.script = (_request, callbacks) =>
        new Promise((resolve) => {
          callbacks.onTokens?.('first')
          callbacks.signal?.addEventListener('abort', () => resolve({ text: 'first', stats: stats({ stopReason: 'aborted' }) }))
        })
      const response = await post('/chat/completions', { ...chat, stream: true })
      const reader = response.body!.getReader()
      await reader.read()
      await reader.cancel()
      for (let tries = 0; tries < 100 && !backend.signals[0]!.aborted; tries++) await delay(10)
      expect(backend.signals[0]!.aborted).toBe(true)
    })
  })

  describe('POST /v1/completions', () => {
    it("takes SDF's raw alpaca prompt back to the messages it was rendered from, streamed or not", async () => {
      const { post, backend } = await serveOpenAi()
      const messages = [
        { role: 'system' as const, content: 'You are Alice.' },
        { role: 'user' as const, content: 'User Bob posted: hi\nUser Alice posted:' }
      ]
      const whole = await post('/completions', { model: 'tiny-test', prompt: renderAlpacaPrompt(messages), max_tokens: 8, stop: ['###', '\n\n', 'User'] })
      expect(await whole.json()).toMatchObject({ object: 'text_completion', choices: [{ index: 0, text: 'Hello, world', finish_reason: 'stop' }] })
      expect(backend.requests[0]).toMatchObject({ messages, promptFormat: 'sdf-alpaca', stop: ['###', '\n\n', 'User'] })

      const streamed = (await events(await post('/completions', { model: 'tiny-test', prompt: [renderAlpacaPrompt(messages)], max_tokens: 8, stream: true }))) as {
        choices: { text: string }[]
      }[]
      expect(streamed.slice(0, -1).map((chunk) => chunk.choices[0]!.text).join('')).toBe('Hello, world')
    })

    it('refuses a prompt that is not in the alpaca format, pointing to the chat endpoint', async () => {
      const { post } = await serveOpenAi()
      const response = await post('/completions', { model: 'tiny-test', prompt: 'Once upon a time' })
      expect(response.status).toBe(400)
      expect(await response.json()).toMatchObject({ error: { param: 'prompt', message: expect.stringContaining('/v1/chat/completions') } })
    })
  })

  it('answers unknown paths with 404 and wrong methods with 405, both as OpenAI errors', async () => {
    const { base, post } = await serveOpenAi()
    const unknown = await post('/embeddings', { input: 'x' })
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toMatchObject({ error: { code: 'unknown_url' } })
    const wrongMethod = await fetch(`${base}/chat/completions`, { headers: { Authorization: `Bearer ${TOKEN}` } })
    expect(wrongMethod.status).toBe(405)
    expect(wrongMethod.headers.get('allow')).toBe('POST')
  })

  describe('with the OpenAI backend as the client', () => {
    it('streams through, and reports usage', async () => {
      const { base } = await serveOpenAi()
      const client = createOpenAiBackend({ endpoints: [{ baseUrl: base, apiKey: TOKEN }], model: 'tiny-test' })
      const pieces: string[] = []
      const result = await client.generate({ messages: [{ role: 'user', content: 'Hi' }], maxTokens: 8 }, { onTokens: (text) => pieces.push(text) })
      expect(pieces).toEqual(['Hello', ', ', 'world'])
      expect(result.stats).toMatchObject({ promptTokens: 20, reusedPromptTokens: 5, generatedTokens: 3, stopReason: 'end-of-text' })
    })

    it('reports a wrong key as server-unauthorized, and a wrong model with the one the server has', async () => {
      const { base } = await serveOpenAi()
      const request = { messages: [{ role: 'user' as const, content: 'Hi' }], maxTokens: 8 }
      const wrongKey = createOpenAiBackend({ endpoints: [{ baseUrl: base, apiKey: 'not-the-token-0123456789' }], model: 'tiny-test' })
      await expect(wrongKey.generate(request)).rejects.toMatchObject({ code: 'server-unauthorized' })
      const wrongModel = createOpenAiBackend({ endpoints: [{ baseUrl: base, apiKey: TOKEN }], model: 'llama-70b' })
      await expect(wrongModel.generate(request)).rejects.toMatchObject({ code: 'model-not-found', message: expect.stringContaining('it serves: "tiny-test"') })
    })
  })
})
