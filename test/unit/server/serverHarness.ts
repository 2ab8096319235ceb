// Starts the web host for real on loopback, with a temporary workspace and a tiny renderer folder.
// Not a test file (vitest runs only *.test.ts).
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { WebSocket } from 'ws'
import { startServer, type RunningServer, type ServeOptions } from '../../../src/server/index.js'
import {
  appContract,
  appEvents,
  createHostClient,
  createWebSocketConnection,
  type OpenSocket
} from '../../../src/shared/index.js'
import { emptyWorkspace } from '../../helpers/emptyWorkspace.js'
import { tempDir } from '../../helpers/tempDir.js'

export const TOKEN = 'test-token-0123456789abcdef'
export const INDEX_HTML = '<!doctype html><title>SDF Studio</title><div id="root"></div>'

const running: RunningServer[] = []

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()))
})

/** A server on a free port, stopped after the test. The renderer folder has a sibling secret to try to reach. */
export async function startTestServer(options: Partial<ServeOptions> = {}) {
  const base = await tempDir('sdf-serve-')
  const rendererDir = join(base, 'renderer')
  await mkdir(join(rendererDir, 'assets'), { recursive: true })
  await writeFile(join(rendererDir, 'index.html'), INDEX_HTML)
  await writeFile(join(rendererDir, 'assets', 'index-abc123.js'), 'console.log("app")\n')
  await writeFile(join(base, 'secret.txt'), 'TOP-SECRET\n')
  const workspace = await emptyWorkspace(join(base, 'workspace'))
  const server = await startServer({ workspace, rendererDir, token: TOKEN, port: 0, ...options })
  running.push(server)
  return { server, base, rendererDir, workspace }
}

export interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/** One HTTP request with the path sent exactly as given (no URL normalisation, unlike fetch). */
export function rawRequest(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {}
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers ?? {} },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') })
        )
      }
    )
    request.on('error', reject)
    request.end()
  })
}

/** The `ws` package fitted to the connection's socket interface, with extra handshake headers. */
export function nodeSocket(headers: Record<string, string> = {}): OpenSocket {
  return (url, handlers) => {
    const socket = new WebSocket(url, { headers })
    socket.on('open', () => handlers.onOpen())
    socket.on('message', (data, isBinary) => {
      if (!isBinary) handlers.onMessage(data.toString())
    })
    socket.on('close', (code, reason) => handlers.onClose(code, reason.toString()))
    // `ws` throws on an unhandled 'error'; a refused upgrade is followed by 'close' anyway.
    socket.on('error', () => undefined)
    return { send: (data) => socket.send(data), close: (code, reason) => socket.close(code, reason) }
  }
}

/** What a browser page would use: the contract's client over a WebSocket to the server. */
export function connectClient(server: RunningServer, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) {
  const connection = createWebSocketConnection({
    url: `ws://127.0.0.1:${server.port}/api`,
    open: nodeSocket(headers),
    backoff: { initialMs: 20, maxMs: 200 }
  })
  return createHostClient(appContract, appEvents, connection)
}

/** Tries a WebSocket upgrade; resolves with the HTTP status of a refusal, or 101 when it opened. */
export function tryUpgrade(port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers })
    socket.on('open', () => {
      socket.close()
      resolve(101)
    })
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0)
      socket.terminate()
    })
    socket.on('error', () => undefined)
  })
}

export async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now()
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting for a condition')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
