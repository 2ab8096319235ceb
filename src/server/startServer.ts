import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { ModelSlot, type GpuOption, type InferenceBackend, type Workspace } from '../core/index.js'
import type { ModelDownloadEvent } from '../shared/modelsContract.js'
import {
  appContract,
  appEvents,
  Broadcaster,
  createEventHub,
  createHandlerTable,
  dispatch,
  isMethodOf,
  StreamHub,
  WEB_SOCKET_PATH,
  type ApiResult,
  RunEventLog,
  type WorkspaceChanged
} from '../shared/index.js'
import { authenticate, tokenCookie, tokenCookieName } from './accessToken.js'
import { isLoopbackHost, originOf } from './loopback.js'
import { createOpenAiRoutes } from './openai/index.js'
import { setSecurityHeaders, SECURITY_HEADERS } from './securityHeaders.js'
import { serveStatic } from './staticFiles.js'
import { DOWNLOAD_PREFIX, serveDownload } from './downloads.js'
import type { AnnotationEventPayload } from '../shared/analysisContract.js'
import { startSyntheticStreams } from './testing/syntheticStreams.js'
import { testingContract } from './testing/testingContract.js'
import { createWebImplementation, type WebImplementationDeps } from './webImplementation.js'
import { serveWebSocket } from './webSocketSession.js'

export interface ServeOptions {
  workspace: Workspace
  /** The built renderer (`out/renderer`). */
  rendererDir: string
  /** The access token every request must carry (see `createAccessToken`). */
  token: string
  host?: string
  /** 0 picks a free port. */
  port?: number
  /** Required to listen on anything but a loopback address. */
  allowRemote?: boolean
  /** Serve `testingContract` too (tests and benchmarks only). */
  testing?: boolean
  /** Biggest accepted WebSocket message: uploads for import travel in one. */
  maxMessageBytes?: number
  /** The folder `models.list` lists (`sdf serve --models DIR`); `<workspace>/models` unless given. */
  modelsFolder?: string
  /** The model loaded for the app (`sdf serve --model`): runs generate on it; the server keeps it but does not dispose it. */
  backend?: InferenceBackend
  /** CPU threads and GPU for models loaded through the API (`models.load`, the demo). Default 4 and auto. */
  threads?: number
  gpu?: GpuOption
  /** The host's model slot (tests pass one with a shared Llama); made from `backend`, `threads` and `gpu` otherwise. */
  modelSlot?: ModelSlot
  /** How `models.download` fetches: core's `downloadModel` unless given (tests). */
  downloadModel?: WebImplementationDeps['downloadModel']
  /** Also serve `backend` as an OpenAI-compatible API under /v1, with the access token as the API key. */
  openai?: { modelId?: string; contextSize?: number }
}

export interface RunningServer {
  /** `http://host:port`, the server's own origin. */
  readonly origin: string
  readonly port: number
  /** The URL to open: the origin with the token in the query (the server trades it for a cookie). */
  readonly openUrl: string
  /** Where token streams are published (the discussion engine, later). */
  readonly streams: StreamHub
  /** The model loaded for the app, if any. */
  readonly backend: InferenceBackend | null
  /** `origin/v1` when the OpenAI-compatible API is served, else null. */
  readonly openAiBaseUrl: string | null
  /** The model id OpenAI clients name, when the API is served. */
  readonly openAiModelId: string | null
  /** Closes every WebSocket, as a lost network would; clients reconnect. Answers how many were open. */
  dropConnections(): number
  /** Stops accepting, ends every connection and flushes the streams. */
  close(): Promise<void>
}

export class ServeError extends Error {
  override readonly name = 'ServeError'
}

const TEXT = { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }

const UNAUTHORIZED =
  '401: this SDF Studio server needs its access token. Open the URL that `sdf serve` printed (it ends in ?token=…).\n'

/**
 * `sdf serve`: the built renderer and the contract over HTTP + WebSocket, for one workspace.
 * Every request and every WebSocket upgrade needs the access token (query, cookie or Bearer header);
 * WebSocket upgrades must also come from the server's own origin.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1'
  const loopbackOnly = isLoopbackHost(host)
  if (!loopbackOnly && !options.allowRemote) {
    throw new ServeError(
      `${host} is not a loopback address: other machines could reach the server. Pass --allow-remote to allow it ` +
        '(the access token is still required; the traffic is plain HTTP, so prefer an SSH tunnel).'
    )
  }

  if (options.openai && !options.backend) throw new ServeError('the OpenAI-compatible API needs a model (--model)')
  const openAi = options.openai && options.backend ? createOpenAiRoutes({ backend: options.backend, ...options.openai }) : null
  const streams = new StreamHub()
  const changes = new Broadcaster<WorkspaceChanged>()
  const runEvents = new RunEventLog()
  const annotationEvents = new Broadcaster<AnnotationEventPayload>()
  const modelDownloads = new Broadcaster<ModelDownloadEvent>()
  // The model runs use, switchable through the API; the --model backend stays its owner's to dispose.
  const modelSlot =
    options.modelSlot ?? new ModelSlot({ threads: options.threads ?? 4, gpu: options.gpu ?? 'auto', initial: options.backend ?? null })
  const table = createHandlerTable(
    appContract,
    createWebImplementation({
      workspace: options.workspace,
      changed: (event) => changes.publish(event),
      backend: options.backend ?? null,
      ...(options.modelsFolder === undefined ? {} : { modelsFolder: options.modelsFolder }),
      streams,
      runEvent: (event) => runEvents.publish(event),
      runEventCursor: () => ({ epoch: runEvents.epoch, next: runEvents.next }),
      annotationEvent: (event) => annotationEvents.publish(event),
      modelSlot,
      modelDownload: (event) => modelDownloads.publish(event),
      ...(options.downloadModel ? { downloadModel: options.downloadModel } : {})
    })
  )
  const events = createEventHub(appEvents, {
    'stream.tokens': (send, cursor) => streams.subscribe(send, cursor),
    'workspace.changed': (send) => changes.subscribe(send),
    'run.events': (send, cursor) => runEvents.subscribe(send, cursor),
    'annotation.events': (send) => annotationEvents.subscribe(send),
    'model.download': (send) => modelDownloads.subscribe(send)
  })
  const sockets = new Set<WebSocket>()
  const stopSynthetic = new Set<() => void>()
  const testingTable = options.testing
    ? createHandlerTable(testingContract, {
        'testing.streams.start': (input) => {
          const run = startSyntheticStreams(streams, input)
          stopSynthetic.add(run.stop)
          return { streamIds: run.streamIds }
        },
        // Answered first, then dropped, so the caller sees the answer.
        'testing.dropConnections': () => {
          const dropped = sockets.size
          setTimeout(() => dropConnections(), 10)
          return { dropped }
        },
        'testing.usage': () => {
          const cpu = process.cpuUsage()
          return { userMicros: cpu.user, systemMicros: cpu.system, rssBytes: process.memoryUsage().rss }
        }
      })
    : null

  function dispatchAny(method: string, input: unknown): Promise<ApiResult> {
    if (testingTable !== null && isMethodOf(testingContract, method)) {
      return dispatch(testingContract, testingTable, method, input)
    }
    return dispatch(appContract, table, method, input)
  }

  const server = createServer()
  const webSockets = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? 64 * 1024 * 1024 })
  let port = 0
  const cookieName = () => tokenCookieName(port)

  /** Loopback servers answer only to loopback names: a DNS-rebinding page cannot reach them by another name. */
  function hostAllowed(request: IncomingMessage): boolean {
    if (!loopbackOnly) return true
    const header = request.headers.host
    if (header === undefined) return false
    try {
      return isLoopbackHost(new URL(`http://${header}`).hostname)
    } catch {
      return false
    }
  }

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    setSecurityHeaders(response)
    if (!hostAllowed(request)) {
      response.writeHead(421, TEXT).end('421: this server answers only to loopback names (127.0.0.1, localhost, [::1])\n')
      return
    }
    const source = authenticate(request, options.token, cookieName())
    const [path = '/', query = ''] = (request.url ?? '/').split('?', 2)
    // OpenAI clients need OpenAI-shaped answers, the 401 included.
    if (openAi?.owns(path)) return openAi.handle(request, response, path, source !== null)
    if (source === null) {
      response.writeHead(401, { ...TEXT, 'WWW-Authenticate': 'Bearer realm="sdf-studio"' }).end(UNAUTHORIZED)
      return
    }
    if (source === 'query' && (request.method === 'GET' || request.method === 'HEAD')) {
      // Trade the token in the address bar for a cookie, and take it out of the URL (history, screenshots).
      const rest = new URLSearchParams(query)
      rest.delete('token')
      const location = rest.size > 0 ? `${path}?${rest.toString()}` : path
      response.writeHead(302, { Location: location, 'Set-Cookie': tokenCookie(cookieName(), options.token), 'Cache-Control': 'no-store' }).end()
      return
    }
    if (path === WEB_SOCKET_PATH) {
      response.writeHead(426, { ...TEXT, Upgrade: 'websocket' }).end('426: the API is served over WebSocket\n')
      return
    }
    if (path.startsWith(DOWNLOAD_PREFIX)) {
      serveDownload(options.workspace.root, request, response).catch(() => {
        if (!response.headersSent) response.writeHead(500, TEXT)
        response.end('500: the file could not be read\n')
      })
      return
    }
    serveStatic(options.rendererDir, request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, TEXT)
      response.end('500: the file could not be read\n')
    })
  })

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (status: number, reason: string) => {
      const headers = Object.entries(SECURITY_HEADERS).map(([name, value]) => `${name}: ${value}\r\n`).join('')
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n${headers}\r\n`)
      socket.destroy()
    }
    const path = (request.url ?? '/').split('?')[0]
    if (path !== WEB_SOCKET_PATH) return refuse(404, 'Not Found')
    if (!hostAllowed(request)) return refuse(421, 'Misdirected Request')
    // Cross-site WebSocket hijacking: a browser sends the page's origin, which must be ours.
    // Clients that are not browsers send none and still need the token.
    const origin = request.headers.origin
    if (origin !== undefined && origin !== `http://${request.headers.host}` && origin !== `https://${request.headers.host}`) {
      return refuse(403, 'Forbidden')
    }
    if (authenticate(request, options.token, cookieName()) === null) return refuse(401, 'Unauthorized')
    webSockets.handleUpgrade(request, socket, head, (webSocket) => {
      sockets.add(webSocket)
      let alive = true
      webSocket.on('pong', () => {
        alive = true
      })
      const heartbeat = setInterval(() => {
        if (!alive) return webSocket.terminate()
        alive = false
        webSocket.ping()
      }, 30_000)
      webSocket.on('close', () => {
        clearInterval(heartbeat)
        sockets.delete(webSocket)
      })
      webSocket.on('error', () => webSocket.terminate())
      serveWebSocket(webSocket, { dispatch: dispatchAny, events, maxBufferedBytes: 16 * 1024 * 1024 })
    })
  })

  function dropConnections(): number {
    const count = sockets.size
    for (const webSocket of sockets) webSocket.terminate()
    return count
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening)
      reject(
        error.code === 'EADDRINUSE'
          ? new ServeError(`port ${options.port ?? 0} on ${host} is already in use (another sdf serve?); choose another with --port, or --port 0 for any free port`)
          : error.code === 'EADDRNOTAVAIL'
            ? new ServeError(`${host} is not an address of this machine`)
            : error
      )
    }
    const onListening = () => {
      server.off('error', onError)
      resolve()
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen(options.port ?? 0, host)
  })
  port = (server.address() as AddressInfo).port
  const origin = originOf(host, port)

  return {
    origin,
    port,
    openUrl: `${origin}/?token=${encodeURIComponent(options.token)}`,
    streams,
    backend: options.backend ?? null,
    openAiBaseUrl: openAi ? `${origin}/v1` : null,
    openAiModelId: openAi?.modelId ?? null,
    dropConnections,
    async close() {
      openAi?.close()
      for (const stop of stopSynthetic) stop()
      streams.close()
      for (const webSocket of sockets) webSocket.close(1001, 'the server is stopping')
      // Upgraded sockets keep the server open: a client that does not answer the close is cut off.
      const cutOff = setTimeout(() => {
        for (const webSocket of sockets) webSocket.terminate()
      }, 1000)
      webSockets.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      clearTimeout(cutOff)
      // A slot passed in belongs to the caller.
      if (options.modelSlot === undefined) await modelSlot.close()
    }
  }
}
