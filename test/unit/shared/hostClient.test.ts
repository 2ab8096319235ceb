import { describe, expect, it } from 'vitest'
import {
  ApiError,
  appContract,
  appEvents,
  Broadcaster,
  createBridgeConnection,
  createEventHub,
  createHandlerTable,
  createHostClient,
  createLocalConnection,
  dispatch,
  StreamHub,
  type Connection,
  type WorkspaceChanged
} from '../../../src/shared/index.js'
import { fakeImplementation, FAKE_INFO } from './appFakes.js'

function localHost() {
  const changes = new Broadcaster<WorkspaceChanged>()
  const streams = new StreamHub({ windowMs: 1 })
  const table = createHandlerTable(appContract, fakeImplementation())
  const hub = createEventHub(appEvents, {
    'stream.tokens': (send, cursor) => streams.subscribe(send, cursor),
    'workspace.changed': (send) => changes.subscribe(send),
    'run.events': () => () => undefined,
    'annotation.events': () => () => undefined,
    'model.download': () => () => undefined
  })
  return { changes, streams, client: createHostClient(appContract, appEvents, createLocalConnection(appContract, table, hub)) }
}

/** A connection whose events are whatever the test pushes. */
function scriptedConnection() {
  let push: (payload: unknown) => void = () => undefined
  const connection: Connection = {
    call: async () => ({ ok: true, value: FAKE_INFO }),
    subscribe: (_topic, handlers) => {
      push = handlers.onEvent
      return () => undefined
    },
    status: () => ({ state: 'open', attempt: 0 }),
    onStatus: () => () => undefined,
    close: () => undefined
  }
  return { connection, push: (payload: unknown) => push(payload) }
}

describe('createHostClient', () => {
  it('calls the contract and receives typed events through one client', async () => {
    const { client, changes } = localHost()
    await expect(client.api['app.info']({})).resolves.toEqual(FAKE_INFO)
    const received: WorkspaceChanged[] = []
    let live = false
    client.subscribe('workspace.changed', { onEvent: (event) => received.push(event), onLive: () => (live = true) })
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(live).toBe(true)
    changes.publish({ kinds: ['persona'] })
    expect(received).toEqual([{ kinds: ['persona'] }])
  })

  it('drops an event whose payload breaks the topic schema and reports it as invalid-output', () => {
    const { connection, push } = scriptedConnection()
    const client = createHostClient(appContract, appEvents, connection)
    const received: unknown[] = []
    const errors: ApiError[] = []
    client.subscribe('stream.tokens', { onEvent: (e) => received.push(e), onError: (e) => errors.push(e) })
    push({ batches: [{ stream: 'a', from: -1, tokens: [], done: false }] })
    push({ batches: [{ stream: 'a', from: 0, tokens: ['x'], done: false }] })
    expect(received).toEqual([{ batches: [{ stream: 'a', from: 0, tokens: ['x'], done: false }] }])
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ code: 'invalid-output', message: expect.stringMatching(/^invalid stream.tokens event: field batches\[0\]\.from/) })
  })

  it('reports a subscription the host refuses (a cursor that breaks the schema)', async () => {
    const { client } = localHost()
    const errors: ApiError[] = []
    client.subscribe('stream.tokens', {
      onEvent: () => undefined,
      cursor: () => ({ a: -3 }) as unknown as Record<string, number>,
      onError: (e) => errors.push(e)
    })
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(errors[0]).toBeInstanceOf(ApiError)
    expect(errors[0]).toMatchObject({ code: 'invalid-input', message: 'invalid cursor for stream.tokens' })
  })

  it('refuses a topic that is not in the events contract', () => {
    const { client } = localHost()
    // @ts-expect-error: not a topic
    expect(() => client.subscribe('fs.watch', { onEvent: () => undefined })).toThrow(/no event topic/)
  })
})

describe('createBridgeConnection', () => {
  it('routes the preload messages of a subscription and checks them on arrival', async () => {
    const table = createHandlerTable(appContract, fakeImplementation())
    let listener: (message: unknown) => void = () => undefined
    const subscribed: unknown[][] = []
    const bridge = {
      invoke: (method: string, input: unknown) => dispatch(appContract, table, method, input),
      subscribe(id: string, topic: string, cursor: unknown, l: (message: unknown) => void) {
        subscribed.push([id, topic, cursor])
        listener = l
        return () => undefined
      }
    }
    const client = createHostClient(appContract, appEvents, createBridgeConnection(bridge))
    await expect(client.api['app.info']({})).resolves.toEqual(FAKE_INFO)
    const events: unknown[] = []
    const errors: ApiError[] = []
    let live = false
    client.subscribe('stream.tokens', { cursor: () => ({ a: 2 }), onEvent: (e) => events.push(e), onError: (e) => errors.push(e), onLive: () => (live = true) })
    expect(subscribed).toEqual([['ipc0', 'stream.tokens', { a: 2 }]])
    listener({ type: 'subscribed', id: 'ipc0' })
    listener({ type: 'event', id: 'ipc0', payload: { batches: [] } })
    listener({ type: 'surprise' })
    listener({ type: 'subscribe-failed', id: 'ipc0', error: { code: 'internal', message: 'boom' } })
    expect(live).toBe(true)
    expect(events).toEqual([{ batches: [] }])
    expect(errors.map((e) => e.code)).toEqual(['transport', 'internal'])
    expect(client.status().state).toBe('open')
  })
})
