import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { createDesktopImplementation } from '../../../src/main/desktopImplementation.js'
import { registerIpcHost, type IpcEventLike, type IpcMainLike } from '../../../src/main/ipcHost.js'
import {
  ApiResultSchema,
  appContract,
  appEvents,
  Broadcaster,
  createEventHub,
  createHandlerTable,
  HostMessageSchema,
  IPC_INVOKE_CHANNEL,
  methodNames,
  StreamHub,
  type HostMessage,
  type WorkspaceChanged
} from '../../../src/shared/index.js'
import { emptyWorkspace } from '../../helpers/emptyWorkspace.js'
import { tempDir } from '../../helpers/tempDir.js'
import { rawRequest, startTestServer, TOKEN, until } from '../server/serverHarness.js'

// Random payloads at the API's three doors: the web host's WebSocket and HTTP handlers, and the
// desktop host's IPC invoke channel. Whatever arrives, the answer is a typed error (or a result),
// never an `internal` error, an unparseable message, a 5xx, a closed connection or a hang.

const RUNS = Number(process.env.SDF_FUZZ_RUNS ?? 120)

const METHODS = methodNames(appContract)
const FIELDS = ['id', 'record', 'discussionId', 'designId', 'runId', 'files', 'name', 'text', 'settings', 'label', 'metric', 'level', 'concurrency', 'limit', 'cursor', 'design', 'count', 'theme']
/** Strings that have broken parsers and path handling elsewhere. */
const NASTY = [
  '../../../../etc/passwd', '..\\..\\windows', '/etc/passwd', 'C:\\Windows', '%2e%2e%2f', '\u0000', '', ' ', '__proto__', 'constructor',
  '{{persona}}', '${process.exit()}', '<script>alert(1)</script>', 'a'.repeat(5_000), '💥'.repeat(100), '\ud800', 'NaN', '-1', '1e309'
]

const nastyString = fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }))
const value: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    nastyString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), nastyString), tie('value'), { maxKeys: 4 })
  )
})).value
/** An input that looks a bit like a real one: known field names with hostile values, or anything. */
const input = fc.oneof(fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 4 }), value, fc.anything())
const method = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...METHODS) }, { weight: 1, arbitrary: nastyString })

/** Answers that say the host broke, rather than that the input was wrong. */
const BROKEN = new Set(['internal', 'invalid-output'])

describe('the API contract under random payloads', () => {
  it(`the web host's WebSocket answers every frame with a typed result or protocol error and stays up (${RUNS} runs)`, async () => {
    const { server } = await startTestServer()
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api`, { headers: { authorization: `Bearer ${TOKEN}` } })
    const received: HostMessage[] = []
    const malformed: string[] = []
    let closed = false
    socket.on('message', (data) => {
      const parsed = HostMessageSchema.safeParse(JSON.parse(data.toString()))
      if (parsed.success) received.push(parsed.data)
      else malformed.push(data.toString().slice(0, 200))
    })
    socket.on('close', () => (closed = true))
    await new Promise((resolve) => socket.once('open', resolve))
    let nextId = 1
    const frame = fc.oneof(
      { weight: 6, arbitrary: fc.record({ method, input }).map((call) => ({ kind: 'call' as const, ...call })) },
      { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((text) => ({ kind: 'text' as const, text })) },
      { weight: 1, arbitrary: fc.json().map((text) => ({ kind: 'text' as const, text })) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ kind: 'binary' as const, bytes })) },
      { weight: 1, arbitrary: fc.record({ topic: nastyString, cursor: value }).map((sub) => ({ kind: 'subscribe' as const, ...sub })) }
    )
    await fc.assert(
      fc.asyncProperty(frame, async (sent) => {
        const before = received.length
        if (sent.kind === 'call') socket.send(JSON.stringify({ type: 'call', id: nextId, method: sent.method, input: sent.input }))
        else if (sent.kind === 'text') socket.send(sent.text)
        else if (sent.kind === 'binary') socket.send(Buffer.from(sent.bytes))
        else socket.send(JSON.stringify({ type: 'subscribe', id: `s${nextId}`, topic: sent.topic, cursor: sent.cursor }))
        // A sentinel call after each frame: its answer proves the host is still serving.
        const sentinel = nextId + 1
        socket.send(JSON.stringify({ type: 'call', id: sentinel, method: 'app.info' }))
        await until(() => received.some((message) => message.type === 'result' && message.id === sentinel) || closed, 10_000)
        expect(closed).toBe(false)
        if (sent.kind === 'call') {
          // Its answer: a result under its id, or a protocol error when the envelope itself is wrong (an empty method name).
          const id = nextId
          await until(() => received.slice(before).some((message) => (message.type === 'result' && message.id === id) || message.type === 'protocol-error'), 10_000)
        }
        for (const message of received.slice(before)) {
          if (message.type === 'result' && !message.result.ok) expect(BROKEN.has(message.result.error.code), JSON.stringify(message)).toBe(false)
          if (message.type === 'protocol-error') expect(BROKEN.has(message.error.code)).toBe(false)
        }
        nextId += 2
      }),
      { numRuns: RUNS }
    )
    expect(malformed).toEqual([])
    socket.close()
  })

  it(`the web host's HTTP handler answers random requests with 2xx-4xx, never 5xx (${RUNS} runs)`, async () => {
    const { server } = await startTestServer()
    const path = fc.oneof(
      fc.constantFrom('/', '/index.html', '/api', '/assets/index-abc123.js', '/v1/models', '/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt'),
      fc.webPath().map((web) => (web.startsWith('/') ? web : `/${web}`)),
      fc.string({ maxLength: 60 }).map((text) => `/${encodeURIComponent(text)}`)
    )
    const httpMethod = fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE')
    const auth = fc.constantFrom<Record<string, string>>(
      {},
      { authorization: `Bearer ${TOKEN}` },
      { authorization: 'Bearer wrong-token-0123456789' },
      { authorization: `Basic ${TOKEN}` },
      { cookie: 'sdf-token=nope' },
      { authorization: `Bearer ${TOKEN}`, origin: 'https://evil.example' },
      { authorization: `Bearer ${TOKEN}`, host: 'evil.example' }
    )
    await fc.assert(
      fc.asyncProperty(path, httpMethod, auth, async (target, verb, headers) => {
        const response = await rawRequest(server.port, target, { method: verb, headers })
        expect(response.status, `${verb} ${target} ${JSON.stringify(headers)}`).toBeGreaterThanOrEqual(200)
        expect(response.status, `${verb} ${target} ${JSON.stringify(headers)}`).toBeLessThan(500)
        expect(response.body).not.toContain('TOP-SECRET')
        const authorized = headers.authorization === `Bearer ${TOKEN}` && headers.host === undefined
        if (!authorized) expect(response.status, `${verb} ${target} ${JSON.stringify(headers)}`).toBeGreaterThanOrEqual(400)
        // Another origin may load nothing it can read: no CORS grant, whatever was asked.
        expect(response.headers['access-control-allow-origin']).toBeUndefined()
      }),
      { numRuns: RUNS }
    )
  })

  it(`the desktop host's IPC invoke channel answers random arguments with typed results (${RUNS} runs)`, async () => {
    const workspace = await emptyWorkspace(await tempDir())
    const streams = new StreamHub({ windowMs: 1 })
    const changes = new Broadcaster<WorkspaceChanged>()
    const { implementation } = createDesktopImplementation({
      version: '0.1.0',
      platform: 'linux',
      workspace,
      chooseFolder: async () => null,
      changed: (event) => changes.publish(event)
    })
    const quietSources = Object.fromEntries(Object.keys(appEvents).map((topic) => [topic, () => () => undefined])) as unknown as Parameters<
      typeof createEventHub<typeof appEvents>
    >[1]
    let invoke: ((event: IpcEventLike, ...args: unknown[]) => unknown) | undefined
    const ipcMain: IpcMainLike = {
      handle: (channel, listener) => {
        if (channel === IPC_INVOKE_CHANNEL) invoke = listener
      },
      on() {
        return this
      }
    }
    const url = 'file:///opt/SDF%20Studio/out/renderer/index.html'
    registerIpcHost(ipcMain, {
      contract: appContract,
      table: createHandlerTable(appContract, implementation),
      // Every topic answers nothing but the two that matter here, whatever topics the contract grows.
      events: createEventHub(appEvents, {
        ...quietSources,
        'stream.tokens': (send, cursor) => streams.subscribe(send, cursor),
        'workspace.changed': (send) => changes.subscribe(send)
      }),
      rendererUrl: url
    })
    const sender = { id: 1, send: () => undefined, isDestroyed: () => false, once: () => undefined }
    const frames = fc.constantFrom<IpcEventLike>(
      { senderFrame: { url, parent: null }, sender },
      { senderFrame: { url: 'https://evil.example/', parent: null }, sender },
      { senderFrame: { url, parent: {} }, sender }
    )
    await fc.assert(
      fc.asyncProperty(frames, method, input, fc.array(value, { maxLength: 2 }), async (event, name, payload, extra) => {
        const result = ApiResultSchema.parse(await invoke!(event, name, payload, ...extra))
        if (!result.ok) expect(BROKEN.has(result.error.code), JSON.stringify(result.error)).toBe(false)
        if (event.senderFrame?.url !== url || event.senderFrame?.parent) expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } })
      }),
      { numRuns: RUNS }
    )
  })
})
