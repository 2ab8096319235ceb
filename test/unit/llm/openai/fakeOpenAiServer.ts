// A scriptable stand-in for an OpenAI-compatible server on 127.0.0.1, for the protocol and error
// paths a real llama.cpp server cannot easily produce. Not a test file (vitest runs only *.test.ts).
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { afterEach } from 'vitest'

export interface FakeRequest {
  readonly method: string
  readonly path: string
  readonly headers: IncomingHttpHeaders
  readonly body: Record<string, unknown>
}

export type FakeHandler = (request: FakeRequest, response: ServerResponse, index: number) => void | Promise<void>

export interface FakeServer {
  readonly baseUrl: string
  readonly port: number
  /** Every request received, in order (the /models lookups included). */
  readonly requests: FakeRequest[]
  /** Requests being answered right now, and the most at once. */
  readonly load: { current: number; max: number }
  close(): Promise<void>
}

const servers: FakeServer[] = []

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

export async function startFakeServer(handler: FakeHandler): Promise<FakeServer> {
  const requests: FakeRequest[] = []
  const load = { current: 0, max: 0 }
  const sockets = new Set<Socket>()
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const received: FakeRequest = {
        method: request.method ?? 'GET',
        path: request.url ?? '/',
        headers: request.headers,
        body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>)
      }
      requests.push(received)
      load.current++
      load.max = Math.max(load.max, load.current)
      let open = true
      const done = () => {
        if (open) load.current--
        open = false
      }
      response.on('finish', done)
      response.on('close', done)
      Promise.resolve(handler(received, response, requests.length - 1)).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(599)
        response.end(String(error))
      })
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const fake: FakeServer = {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    load,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
  servers.push(fake)
  return fake
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body))
}

export function openError(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(response, status, { error: { message, type: 'invalid_request_error', code: null } }, headers)
}

export function startStream(response: ServerResponse): void {
  response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
}

/** One SSE event: an object as JSON, or a raw string as is. */
export function event(value: unknown): string {
  return `data: ${typeof value === 'string' ? value : JSON.stringify(value)}\n\n`
}

export function chatChunk(content: string | null, finishReason: string | null = null, extra: Record<string, unknown> = {}) {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'fake',
    choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finishReason }],
    ...extra
  }
}

export function usage(prompt: number, completion: number, cached = 0) {
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, prompt_tokens_details: { cached_tokens: cached } }
}

/** A whole streamed chat answer: the pieces, the finish, the usage chunk and [DONE]. */
export function streamChat(response: ServerResponse, pieces: readonly string[], options: { finish?: string; usage?: ReturnType<typeof usage> | null } = {}): void {
  startStream(response)
  for (const piece of pieces) response.write(event(chatChunk(piece)))
  response.write(event(chatChunk(null, options.finish ?? 'stop')))
  if (options.usage !== null) response.write(event({ ...chatChunk(null), choices: [], usage: options.usage ?? usage(10, pieces.length) }))
  response.end(event('[DONE]'))
}

export function chatCompletion(content: string, finishReason = 'stop', usageValue = usage(10, 3)) {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'fake',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason }],
    usage: usageValue
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

export async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now()
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting for a condition')
    await delay(10)
  }
}
