import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { BackendError, createOpenAiBackend, renderAlpacaPrompt, type GenerationRequest, type OpenAiBackendOptions } from '../../../../src/core/llm/index.js'
import {
  chatChunk,
  chatCompletion,
  delay,
  event,
  openError,
  sendJson,
  startFakeServer,
  startStream,
  streamChat,
  usage,
  waitFor,
  type FakeServer
} from './fakeOpenAiServer.js'

const KEY = 'sk-secret-key-0123456789'

const ask: GenerationRequest = {
  messages: [
    { role: 'system', content: 'You are Alice.' },
    { role: 'user', content: 'What do you think?' }
  ],
  maxTokens: 32
}

function backendFor(servers: FakeServer | FakeServer[], options: Partial<OpenAiBackendOptions> = {}) {
  const list = Array.isArray(servers) ? servers : [servers]
  return createOpenAiBackend({
    endpoints: list.map((server) => ({ baseUrl: server.baseUrl, apiKey: KEY })),
    model: 'test-model',
    retryBaseDelayMs: 5,
    ...options
  })
}

async function failure(promise: Promise<unknown>): Promise<BackendError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught
  )
  expect(error).toBeInstanceOf(BackendError)
  return error as BackendError
}

/** A port that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}


describe('the OpenAI-compatible backend', () => {
  describe('streaming chat completions', () => {
    it('streams the pieces in order, joins them to the text, and fills the stats from the usage chunk', async () => {
      const server = await startFakeServer((_request, response) =>
        streamChat(response, ['Hel', 'lo', ', wor', 'ld'], { finish: 'stop', usage: usage(40, 4, 30) })
      )
      const pieces: string[] = []
      const result = await backendFor(server).generate(ask, { onTokens: (text) => pieces.push(text) })
      expect(pieces).toEqual(['Hel', 'lo', ', wor', 'ld'])
      expect(result.text).toBe('Hello, world')
      expect(result.stats).toMatchObject({ promptTokens: 10, reusedPromptTokens: 30, generatedTokens: 4, stopReason: 'end-of-text', trimmed: null })
      expect(result.stats.timeToFirstTokenMs).toBeGreaterThanOrEqual(0)
      expect(result.stats.durationMs).toBeGreaterThanOrEqual(result.stats.timeToFirstTokenMs!)
    })

    it('sends the request the way OpenAI-compatible servers read it, the key only in the Authorization header', async () => {
      const server = await startFakeServer((_request, response) => streamChat(response, ['ok']))
      await backendFor(server).generate({
        ...ask,
        maxTokens: 77,
        stop: ['###', '\n\n'],
        sampling: { temperature: 0.7, topP: 0.9, seed: 42, topK: 40, minP: 0.05, repeatPenalty: 1.1 }
      })
      const [request] = server.requests
      expect(request!.path).toBe('/v1/chat/completions')
      expect(request!.headers.authorization).toBe(`Bearer ${KEY}`)
      expect(request!.body).toEqual({
        model: 'test-model',
        messages: ask.messages,
        max_tokens: 77,
        temperature: 0.7,
        top_p: 0.9,
        seed: 42,
        top_k: 40,
        min_p: 0.05,
        repeat_penalty: 1.1,
        repetition_penalty: 1.1,
        stop: ['###', '\n\n'],
        stream: true,
        stream_options: { include_usage: true }
      })
    })

    it('maps finish_reason "length" to max-tokens', async () => {
      const server = await startFakeServer((_request, response) => streamChat(response, ['a', 'b'], { finish: 'length' }))
      expect((await backendFor(server).generate(ask)).stats.stopReason).toBe('max-tokens')
    })

    it('cuts the text at a stop string even when the server does not, and reports stop-string', async () => {
      const server = await startFakeServer((_request, response) => streamChat(response, ['Hi there', '\n', '\nUser Bob posted:', ' more']))
      const pieces: string[] = []
      const result = await backendFor(server).generate({ ...ask, stop: ['\n\n'] }, { onTokens: (text) => pieces.push(text) })
      expect(result.text).toBe('Hi there')
      expect(pieces.join('')).toBe('Hi there')
      expect(result.stats.stopReason).toBe('stop-string')
    })

    it('asks again without stream_options when the server rejects them, remembers, and counts the streamed pieces instead', async () => {
      const server = await startFakeServer((request, response) => {
        if (request.body.stream_options !== undefined) return openError(response, 400, "Unrecognized request argument supplied: stream_options")
        streamChat(response, ['one', ' two', ' three'], { usage: null })
      })
      const backend = backendFor(server)
      const result = await backend.generate(ask)
      expect(result.text).toBe('one two three')
      expect(result.stats).toMatchObject({ promptTokens: 0, reusedPromptTokens: 0, generatedTokens: 3 })
      await backend.generate(ask)
      expect(server.requests.map((request) => request.body.stream_options !== undefined)).toEqual([true, false, false])
    })

    it('asks again without top_k, min_p and repeat_penalty when the server rejects them', async () => {
      const server = await startFakeServer((request, response) => {
        if (request.body.top_k !== undefined) return openError(response, 400, 'Unrecognized request argument supplied: top_k')
        streamChat(response, ['fine'])
      })
      const result = await backendFor(server).generate({ ...ask, sampling: { topK: 40, temperature: 0.5 } })
      expect(result.text).toBe('fine')
      expect(server.requests[1]!.body).toMatchObject({ temperature: 0.5 })
      expect(server.requests[1]!.body.top_k).toBeUndefined()
    })

    it('reads a whole JSON answer when a server ignores stream: true', async () => {
      const server = await startFakeServer((_request, response) => sendJson(response, 200, chatCompletion('not streamed', 'length')))
      const pieces: string[] = []
      const result = await backendFor(server).generate(ask, { onTokens: (text) => pieces.push(text) })
      expect(result.text).toBe('not streamed')
      expect(pieces).toEqual(['not streamed'])
      expect(result.stats.stopReason).toBe('max-tokens')
    })
  })

  describe('without streaming', () => {
    it('asks for one JSON answer and takes text, finish reason and usage from it', async () => {
      const server = await startFakeServer((_request, response) => sendJson(response, 200, chatCompletion('All at once.', 'stop', usage(12, 5))))
      const pieces: string[] = []
      const result = await backendFor(server, { stream: false }).generate(ask, { onTokens: (text) => pieces.push(text) })
      expect(server.requests[0]!.body.stream).toBe(false)
      expect(server.requests[0]!.body.stream_options).toBeUndefined()
      expect(result.text).toBe('All at once.')
      expect(pieces).toEqual(['All at once.'])
      expect(result.stats).toMatchObject({ promptTokens: 12, generatedTokens: 5, stopReason: 'end-of-text', timeToFirstTokenMs: null })
      expect(result.stats.tokensPerSecond).toBeGreaterThan(0)
    })
  })

  describe('the sdf-alpaca prompt format', () => {
    it('sends the raw alpaca text to /completions, since a chat endpoint would wrap it in its own template', async () => {
      const server = await startFakeServer((_request, response) => {
        startStream(response)
        for (const text of ['I ', 'agree']) response.write(event({ choices: [{ index: 0, text, finish_reason: null }] }))
        response.write(event({ choices: [{ index: 0, text: '', finish_reason: 'length' }] }))
        response.end(event('[DONE]'))
      })
      const result = await backendFor(server).generate({ ...ask, promptFormat: 'sdf-alpaca', stop: ['###', '\n\n', 'User'] })
      expect(server.requests[0]!.path).toBe('/v1/completions')
      expect(server.requests[0]!.body.prompt).toBe(renderAlpacaPrompt(ask.messages))
      expect(server.requests[0]!.body.messages).toBeUndefined()
      expect(server.requests[0]!.body.stop).toEqual(['###', '\n\n', 'User'])
      expect(result).toMatchObject({ text: 'I agree', stats: { stopReason: 'max-tokens' } })
    })
  })

  describe('errors', () => {
    it('401: server-unauthorized, naming the server and never the key', async () => {
      const server = await startFakeServer((_request, response) => openError(response, 401, `Incorrect API key provided: ${KEY}`))
      const error = await failure(backendFor(server).generate(ask))
      expect(error.code).toBe('server-unauthorized')
      expect(error.message).toContain(`the server at ${server.baseUrl} refused the API key`)
      expect(error.message).not.toContain(KEY)
      expect(server.requests).toHaveLength(1)
    })

    it('404 for the model: model-not-found, naming the model and listing the ones the server has', async () => {
      const server = await startFakeServer((request, response) => {
        if (request.path === '/v1/models') return sendJson(response, 200, { object: 'list', data: [{ id: 'llama-3-8b' }, { id: 'qwen-7b' }] })
        openError(response, 404, 'The model `test-model` does not exist.')
      })
      const error = await failure(backendFor(server).generate(ask))
      expect(error.code).toBe('model-not-found')
      expect(error.message).toContain('has no model "test-model"')
      expect(error.message).toContain('"llama-3-8b", "qwen-7b"')
      expect(server.requests[1]!.headers.authorization).toBe(`Bearer ${KEY}`)
    })

    it('429 with Retry-After: waits as long as asked, then succeeds', async () => {
      const server = await startFakeServer((_request, response, index) => {
        if (index === 0) return openError(response, 429, 'Rate limit reached', { 'Retry-After': '1' })
        streamChat(response, ['after the wait'])
      })
      const started = performance.now()
      const result = await backendFor(server).generate(ask)
      expect(result.text).toBe('after the wait')
      expect(performance.now() - started).toBeGreaterThanOrEqual(990)
      expect(server.requests).toHaveLength(2)
    })

    it('429 asking for a longer wait than allowed: server-rate-limited at once', async () => {
      const server = await startFakeServer((_request, response) => openError(response, 429, 'slow down', { 'Retry-After': '3600' }))
      const error = await failure(backendFor(server).generate(ask))
      expect(error.code).toBe('server-rate-limited')
      expect(error.message).toContain('asks to wait 3600 s')
      expect(server.requests).toHaveLength(1)
    })

    it('500 then success: retried', async () => {
      const server = await startFakeServer((_request, response, index) => {
        if (index === 0) return openError(response, 500, 'CUDA out of memory')
        streamChat(response, ['recovered'])
      })
      expect((await backendFor(server).generate(ask)).text).toBe('recovered')
      expect(server.requests).toHaveLength(2)
    })

    it('5xx every time: server-error after the configured retries, with the server message', async () => {
      const server = await startFakeServer((_request, response) => openError(response, 503, 'loading model'))
      const error = await failure(backendFor(server, { retries: 2 }).generate(ask))
      expect(error.code).toBe('server-error')
      expect(error.message).toMatch(/HTTP 503: loading model.*gave up after 2 retries/)
      expect(server.requests).toHaveLength(3)
    })

    it('a 400 that is not about an optional feature: invalid-request, not retried; a context overflow says so', async () => {
      const server = await startFakeServer((_request, response, index) =>
        openError(response, 400, index === 0 ? 'temperature must be at most 2' : "This model's maximum context length is 4096 tokens")
      )
      const backend = backendFor(server)
      expect((await failure(backend.generate(ask))).code).toBe('invalid-request')
      expect((await failure(backend.generate(ask))).code).toBe('context-overflow')
      expect(server.requests).toHaveLength(2)
    })

    it('connection refused: network, retried, with a message that says what to check', async () => {
      const port = await closedPort()
      const backend = createOpenAiBackend({ endpoints: [{ baseUrl: `http://127.0.0.1:${port}/v1` }], model: 'm', retries: 1, retryBaseDelayMs: 5 })
      const error = await failure(backend.generate(ask))
      expect(error.code).toBe('network')
      expect(error.message).toContain(`cannot reach the server at http://127.0.0.1:${port}/v1: connection refused`)
      expect(error.message).toContain('gave up after 1 retries')
    })

    it('a connection dropped mid-stream after text was delivered: a clear network error, and no retry', async () => {
      const server = await startFakeServer((_request, response) => {
        startStream(response)
        response.write(event(chatChunk('Hello')))
        response.write(event(chatChunk(' there')))
        setTimeout(() => response.socket?.destroy(), 20)
      })
      const pieces: string[] = []
      const error = await failure(backendFor(server).generate(ask, { onTokens: (text) => pieces.push(text) }))
      expect(pieces).toEqual(['Hello', ' there'])
      expect(error.code).toBe('network')
      expect(error.message).toContain('broke off in the middle of the answer, after 11 characters')
      expect(error.message).toContain('not retried, as part of the answer had already been passed on')
      expect(server.requests).toHaveLength(1)
    })

    it('a connection dropped before any text reached the caller: retried', async () => {
      const server = await startFakeServer((_request, response, index) => {
        if (index > 0) return streamChat(response, ['second try'])
        startStream(response)
        response.write(': warming up\n\n')
        setTimeout(() => response.socket?.destroy(), 20)
      })
      const result = await backendFor(server).generate(ask, { onTokens: () => undefined })
      expect(result.text).toBe('second try')
      expect(server.requests).toHaveLength(2)
    })

    it('a stream that ends without finishing: a network error, not a silently short answer', async () => {
      const server = await startFakeServer((_request, response) => {
        startStream(response)
        response.end(event(chatChunk('half')))
      })
      const error = await failure(backendFor(server, { retries: 0 }).generate(ask, { onTokens: () => undefined }))
      expect(error.code).toBe('network')
      expect(error.message).toContain('ended before the answer was complete')
    })

    it('a garbage line in the stream: server-error quoting it', async () => {
      const server = await startFakeServer((_request, response) => {
        startStream(response)
        response.write(event(chatChunk('Hel')))
        response.end('data: <html>502 Bad Gateway</html>\n\n')
      })
      const error = await failure(backendFor(server).generate(ask, { onTokens: () => undefined }))
      expect(error.code).toBe('server-error')
      expect(error.message).toContain('sent something that is not a JSON completion chunk: "<html>502 Bad Gateway</html>"')
      expect(server.requests).toHaveLength(1)
    })

    it('an error event in the stream: server-error with the server message', async () => {
      const server = await startFakeServer((_request, response) => {
        startStream(response)
        response.write(event(chatChunk('x')))
        response.end(event({ error: { message: 'the KV cache is full', type: 'server_error' } }))
      })
      const error = await failure(backendFor(server).generate(ask, { onTokens: () => undefined }))
      expect(error).toMatchObject({ code: 'server-error', message: expect.stringContaining('failed while answering: the KV cache is full') })
    })

    it('a server that does not answer in time: network, naming the timeout', async () => {
      const server = await startFakeServer(() => undefined)
      const error = await failure(backendFor(server, { timeoutMs: 200, retries: 0 }).generate(ask))
      expect(error).toMatchObject({ code: 'network', message: expect.stringContaining('did not answer within 200 ms') })
    })

    it('rejects a base URL that is not http(s) when it is built', () => {
      expect(() => createOpenAiBackend({ endpoints: [{ baseUrl: 'ftp://example.com/v1' }], model: 'm' })).toThrow(/not an http\(s\) URL/)
      expect(() => createOpenAiBackend({ endpoints: [], model: 'm' })).toThrow(/at least one endpoint/)
    })
  })

  describe('JSON output', () => {
    const Verdict = z.object({ label: z.enum(['toxic', 'civil']), score: z.number().int().min(1).max(5) })
    const jsonSchema = z.toJSONSchema(Verdict) as Record<string, unknown>
    const valid = '{"label":"civil","score":2}'

    it('asks for json_schema (strict), validates, and passes the text on once', async () => {
      const server = await startFakeServer((_request, response) => streamChat(response, ['{"label":', '"civil",', '"score":2}']))
      const pieces: string[] = []
      const result = await backendFor(server).generate({ ...ask, jsonSchema, stop: ['\n\n'] }, { onTokens: (text) => pieces.push(text) })
      expect(server.requests[0]!.body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'output', schema: jsonSchema, strict: true } })
      expect(server.requests[0]!.body.stop).toBeUndefined()
      expect(result.json).toEqual({ label: 'civil', score: 2 })
      expect(result.text).toBe(valid)
      expect(pieces).toEqual([valid])
    })

    it('json_schema rejected → json_object → rejected → instructions in the prompt; the endpoint remembers', async () => {
      const server = await startFakeServer((request, response) => {
        const format = request.body.response_format as { type: string } | undefined
        if (format?.type === 'json_schema') return openError(response, 400, "response_format type 'json_schema' is not supported")
        if (format?.type === 'json_object') return openError(response, 400, "Invalid value for 'response_format'")
        streamChat(response, ['```json\n', valid, '\n```'])
      })
      const backend = backendFor(server)
      const result = await backend.generate({ ...ask, jsonSchema })
      expect(result.json).toEqual({ label: 'civil', score: 2 })
      expect(server.requests.map((request) => (request.body.response_format as { type: string } | undefined)?.type ?? 'prompt')).toEqual([
        'json_schema',
        'json_object',
        'prompt'
      ])
      const messages = server.requests[2]!.body.messages as { role: string; content: string }[]
      expect(messages.at(-1)!.content).toContain('What do you think?')
      expect(messages.at(-1)!.content).toContain(JSON.stringify(jsonSchema))

      await backend.generate({ ...ask, jsonSchema })
      expect(server.requests).toHaveLength(4)
      expect(server.requests[3]!.body.response_format).toBeUndefined()
    })

    it('an explicit json mode is used as is: a 400 is an error, not a step down', async () => {
      const server = await startFakeServer((_request, response) => openError(response, 400, 'response_format is not supported'))
      const error = await failure(backendFor(server, { jsonMode: 'json_schema' }).generate({ ...ask, jsonSchema }))
      expect(error.code).toBe('invalid-request')
      expect(server.requests).toHaveLength(1)
    })

    it('invalid once: retried with the next seed; invalid twice: invalid-output with the raw text', async () => {
      const answers = ['{"label":"rude","score":9}', valid, 'not json at all', '{"label":']
      const server = await startFakeServer((_request, response, index) => streamChat(response, [answers[index]!]))
      const backend = backendFor(server)
      const ok = await backend.generate({ ...ask, jsonSchema, sampling: { seed: 7 } })
      expect(ok.json).toEqual({ label: 'civil', score: 2 })
      expect(server.requests.map((request) => request.body.seed)).toEqual([7, 8])
      expect(ok.stats.generatedTokens).toBe(2)

      const error = await failure(backend.generate({ ...ask, jsonSchema }))
      expect(error.code).toBe('invalid-output')
      expect(error.message).toContain('after 2 attempts')
      expect(error.rawOutput).toBe('{"label":')
    })
  })

  describe('several endpoints', () => {
    it('takes them in turn', async () => {
      const first = await startFakeServer((_request, response) => streamChat(response, ['first']))
      const second = await startFakeServer((_request, response) => streamChat(response, ['second']))
      const backend = backendFor([first, second])
      const texts = []
      for (let index = 0; index < 4; index++) texts.push((await backend.generate(ask)).text)
      expect(texts).toEqual(['first', 'second', 'first', 'second'])
    })

    it('skips an endpoint whose connection failed for the cool-off, retrying on the next one', async () => {
      const port = await closedPort()
      const alive = await startFakeServer((_request, response) => streamChat(response, ['alive']))
      const backend = createOpenAiBackend({
        endpoints: [{ baseUrl: `http://127.0.0.1:${port}/v1` }, { baseUrl: alive.baseUrl }],
        model: 'm',
        retryBaseDelayMs: 5
      })
      const texts = []
      for (let index = 0; index < 3; index++) texts.push((await backend.generate(ask)).text)
      expect(texts).toEqual(['alive', 'alive', 'alive'])
      expect(alive.requests).toHaveLength(3)
    })
  })

  it('never has more requests in flight than its concurrency', async () => {
    const server = await startFakeServer(async (_request, response) => {
      await delay(40)
      streamChat(response, ['done'])
    })
    const backend = backendFor(server, { concurrency: 2 })
    const results = await Promise.all(Array.from({ length: 6 }, () => backend.generate(ask)))
    expect(results.map((result) => result.text)).toEqual(Array(6).fill('done'))
    expect(server.load.max).toBe(2)
  })

  describe('aborting', () => {
    it('mid-stream: stops at once, resolves with the text so far and stopReason aborted, and closes the connection', async () => {
      const server = await startFakeServer((_request, response) => {
        startStream(response)
        let count = 0
        const timer = setInterval(() => response.write(event(chatChunk(`t${count++} `))), 5)
        response.on('close', () => clearInterval(timer))
      })
      const controller = new AbortController()
      const pieces: string[] = []
      const result = await backendFor(server).generate(
        { ...ask, maxTokens: 1000 },
        {
          signal: controller.signal,
          onTokens: (text) => {
            if (pieces.push(text) === 3) controller.abort()
          }
        }
      )
      expect(pieces).toHaveLength(3)
      expect(result.text).toBe(pieces.join(''))
      expect(result.stats.stopReason).toBe('aborted')
      await waitFor(() => server.load.current === 0)
    })

    it('before it started, or while waiting for a slot: rejects with aborted', async () => {
      const server = await startFakeServer(async (_request, response) => {
        await delay(100)
        streamChat(response, ['slow'])
      })
      const backend = backendFor(server, { concurrency: 1 })
      expect((await failure(backend.generate(ask, { signal: AbortSignal.abort() }))).code).toBe('aborted')
      const busy = backend.generate(ask)
      const controller = new AbortController()
      const waiting = backend.generate(ask, { signal: controller.signal })
      controller.abort()
      expect((await failure(waiting)).code).toBe('aborted')
      expect((await busy).text).toBe('slow')
      expect(server.requests).toHaveLength(1)
    })

    it('dispose stops what runs and refuses what comes after', async () => {
      const server = await startFakeServer(() => undefined)
      const backend = backendFor(server)
      const running = backend.generate(ask)
      await delay(30)
      await backend.dispose()
      expect((await running).stats.stopReason).toBe('aborted')
      expect((await failure(backend.generate(ask))).code).toBe('disposed')
    })
  })
})
