import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  createWebSocketConnection,
  type ClientMessage,
  type ConnectionStatus,
  type HostMessage,
  type SocketHandlers
} from '../../../src/shared/index.js'

/** Sockets the connection opened, driven by hand: open, answer, drop. */
function fakeSockets() {
  const sockets: { url: string; handlers: SocketHandlers; sent: ClientMessage[]; closed: boolean }[] = []
  return {
    sockets,
    open(url: string, handlers: SocketHandlers) {
      const socket = { url, handlers, sent: [] as ClientMessage[], closed: false }
      sockets.push(socket)
      return {
        send: (data: string) => socket.sent.push(JSON.parse(data) as ClientMessage),
        close: () => {
          socket.closed = true
        }
      }
    },
    last() {
      const socket = sockets.at(-1)
      if (socket === undefined) throw new Error('no socket was opened')
      return {
        ...socket,
        accept: () => socket.handlers.onOpen(),
        reply: (message: HostMessage) => socket.handlers.onMessage(JSON.stringify(message)),
        drop: () => socket.handlers.onClose(1006, '')
      }
    }
  }
}

describe('createWebSocketConnection', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })

  afterEach(() => {
    vi.useRealTimers()
  })

  function connect(fake = fakeSockets()) {
    const statuses: ConnectionStatus['state'][] = []
    const connection = createWebSocketConnection({ url: 'ws://host/api', open: fake.open, random: () => 1 })
    connection.onStatus((status) => statuses.push(status.state))
    return { fake, connection, statuses }
  }

  it('matches answers to calls by id, whatever their order', async () => {
    const { fake, connection } = connect()
    fake.last().accept()
    const first = connection.call('app.info', {})
    const second = connection.call('workspace.summary', {})
    expect(fake.last().sent).toEqual([
      { type: 'call', id: 0, method: 'app.info', input: {} },
      { type: 'call', id: 1, method: 'workspace.summary', input: {} }
    ])
    fake.last().reply({ type: 'result', id: 1, result: { ok: true, value: 'second' } })
    fake.last().reply({ type: 'result', id: 0, result: { ok: true, value: 'first' } })
    await expect(first).resolves.toEqual({ ok: true, value: 'first' })
    await expect(second).resolves.toEqual({ ok: true, value: 'second' })
  })

  it('holds calls made before the link is up and sends them once it is', async () => {
    const { fake, connection } = connect()
    const call = connection.call('app.info', {})
    expect(fake.last().sent).toEqual([])
    fake.last().accept()
    expect(fake.last().sent).toHaveLength(1)
    fake.last().reply({ type: 'result', id: 0, result: { ok: true, value: 1 } })
    await expect(call).resolves.toEqual({ ok: true, value: 1 })
  })

  it('fails a call in flight when the link drops: it may or may not have run', async () => {
    const { fake, connection } = connect()
    fake.last().accept()
    const call = connection.call('personas.put', { record: { id: 'a' } })
    fake.last().drop()
    await expect(call).rejects.toThrow(/lost before the answer came/)
  })

  it('fails a waiting call when the link stays down too long', async () => {
    const { connection } = connect()
    const call = connection.call('app.info', {})
    const failed = expect(call).rejects.toThrow(/not connected to the host/)
    await vi.advanceTimersByTimeAsync(15_000)
    await failed
  })

  it('reconnects with exponential backoff and reports each state', () => {
    const { fake, statuses } = connect()
    fake.last().drop()
    expect(statuses).toEqual(['connecting'])
    vi.advanceTimersByTime(499)
    expect(fake.sockets).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(fake.sockets).toHaveLength(2)
    fake.last().drop()
    vi.advanceTimersByTime(999)
    expect(fake.sockets).toHaveLength(2)
    vi.advanceTimersByTime(1)
    expect(fake.sockets).toHaveLength(3)
    fake.last().accept()
    fake.last().drop()
    expect(statuses).toEqual(['connecting', 'connecting', 'open', 'reconnecting'])
    // After a link that was up, the first retry is quick again.
    vi.advanceTimersByTime(250)
    expect(fake.sockets).toHaveLength(4)
  })

  it('never waits longer than the cap between attempts', () => {
    const { fake } = connect()
    for (let i = 0; i < 12; i++) {
      fake.last().drop()
      vi.advanceTimersByTime(8_000)
    }
    expect(fake.sockets).toHaveLength(13)
  })

  it('resubscribes after a reconnect with the cursor as it is then', () => {
    const { fake, connection } = connect()
    let position = 0
    const events: unknown[] = []
    connection.subscribe('stream.tokens', { cursor: () => ({ a: position }), onEvent: (p) => events.push(p), onError: () => undefined })
    fake.last().accept()
    expect(fake.last().sent).toEqual([{ type: 'subscribe', id: 's0', topic: 'stream.tokens', cursor: { a: 0 } }])
    fake.last().reply({ type: 'event', id: 's0', payload: 'one' })
    position = 7
    fake.last().drop()
    vi.advanceTimersByTime(250)
    fake.last().accept()
    expect(fake.last().sent).toEqual([{ type: 'subscribe', id: 's0', topic: 'stream.tokens', cursor: { a: 7 } }])
    fake.last().reply({ type: 'event', id: 's0', payload: 'two' })
    expect(events).toEqual(['one', 'two'])
  })

  it('stops resubscribing once unsubscribed, and tells the host', () => {
    const { fake, connection } = connect()
    fake.last().accept()
    const stop = connection.subscribe('workspace.changed', { cursor: () => undefined, onEvent: () => undefined, onError: () => undefined })
    stop()
    expect(fake.last().sent.at(-1)).toEqual({ type: 'unsubscribe', id: 's0' })
    fake.last().drop()
    vi.advanceTimersByTime(250)
    fake.last().accept()
    expect(fake.last().sent).toEqual([])
  })

  it('passes a refused subscription to its error handler', () => {
    const { fake, connection } = connect()
    const errors: unknown[] = []
    connection.subscribe('nope', { cursor: () => undefined, onEvent: () => undefined, onError: (e) => errors.push(e) })
    fake.last().accept()
    fake.last().reply({ type: 'subscribe-failed', id: 's0', error: { code: 'unknown-method', message: 'there is no event topic "nope"' } })
    expect(errors).toEqual([{ code: 'unknown-method', message: 'there is no event topic "nope"' }])
  })

  it('drops host messages outside the protocol and says so', () => {
    const problems: string[] = []
    const fake = fakeSockets()
    createWebSocketConnection({ url: 'ws://host/api', open: fake.open, onProtocolError: (m) => problems.push(m) })
    fake.last().accept()
    fake.last().handlers.onMessage('not json')
    fake.last().handlers.onMessage(JSON.stringify({ type: 'result', id: -1 }))
    expect(problems).toHaveLength(2)
  })

  it('retries a socket that cannot even be created', () => {
    let attempts = 0
    const fake = fakeSockets()
    createWebSocketConnection({
      url: 'ws://host/api',
      random: () => 1,
      open: (url, handlers) => {
        attempts += 1
        if (attempts === 1) throw new Error('blocked')
        return fake.open(url, handlers)
      }
    })
    vi.advanceTimersByTime(500)
    expect(attempts).toBe(2)
  })

  it('closes for good: no more attempts, waiting calls fail', async () => {
    const { fake, connection, statuses } = connect()
    const call = connection.call('app.info', {})
    connection.close()
    await expect(call).rejects.toThrow(/closed/)
    expect(fake.last().closed).toBe(true)
    vi.advanceTimersByTime(60_000)
    expect(fake.sockets).toHaveLength(1)
    expect(statuses.at(-1)).toBe('closed')
    await expect(connection.call('app.info', {})).rejects.toThrow(/closed/)
  })
})
