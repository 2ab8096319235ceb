import type { WebSocket } from 'ws'
import {
  ClientMessageSchema,
  describeIssues,
  issueDetails,
  type ApiResult,
  type EventHub,
  type HostMessage
} from '../shared/index.js'

export interface SessionDeps {
  /** Runs one call from untrusted input; never throws (see `dispatch`). */
  dispatch(method: string, input: unknown): Promise<ApiResult>
  events: EventHub
  /**
   * A client that falls this far behind (bytes queued on its socket) is disconnected rather than
   * buffered without end; it reconnects and catches up by sequence number.
   */
  maxBufferedBytes: number
}

/** Serves the contract and its events on one authenticated WebSocket. Every message is parsed before use. */
export function serveWebSocket(socket: WebSocket, deps: SessionDeps): void {
  /** Subscription id → how to end it; null while the subscription is being set up. */
  const subscriptions = new Map<string, (() => void) | null>()
  let closed = false

  function send(message: HostMessage): void {
    if (closed) return
    if (socket.bufferedAmount > deps.maxBufferedBytes) {
      socket.terminate()
      return
    }
    socket.send(JSON.stringify(message))
  }

  async function subscribe(id: string, topic: string, cursor: unknown): Promise<void> {
    if (subscriptions.has(id)) {
      send({ type: 'subscribe-failed', id, error: { code: 'invalid-input', message: `subscription id "${id}" is already in use` } })
      return
    }
    subscriptions.set(id, null)
    const outcome = await deps.events.subscribe(topic, cursor, (payload) => send({ type: 'event', id, payload }))
    if (!outcome.ok) {
      subscriptions.delete(id)
      send({ type: 'subscribe-failed', id, error: outcome.error })
      return
    }
    if (closed || !subscriptions.has(id)) {
      // Unsubscribed (or disconnected) while the replay was being read.
      outcome.unsubscribe()
      return
    }
    subscriptions.set(id, outcome.unsubscribe)
    send({ type: 'subscribed', id })
  }

  function unsubscribe(id: string): void {
    const stop = subscriptions.get(id)
    subscriptions.delete(id)
    stop?.()
  }

  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      send({ type: 'protocol-error', error: { code: 'invalid-input', message: 'binary messages are not part of the protocol' } })
      return
    }
    let raw: unknown
    try {
      raw = JSON.parse(data.toString())
    } catch {
      send({ type: 'protocol-error', error: { code: 'invalid-input', message: 'the message is not JSON' } })
      return
    }
    const parsed = ClientMessageSchema.safeParse(raw)
    if (!parsed.success) {
      send({
        type: 'protocol-error',
        error: { code: 'invalid-input', message: `the message is outside the protocol: ${describeIssues(parsed.error)}`, details: issueDetails(parsed.error) }
      })
      return
    }
    const message = parsed.data
    switch (message.type) {
      case 'call':
        void deps.dispatch(message.method, message.input).then((result) => send({ type: 'result', id: message.id, result }))
        return
      case 'subscribe':
        void subscribe(message.id, message.topic, message.cursor)
        return
      case 'unsubscribe':
        unsubscribe(message.id)
        return
    }
  })

  socket.on('close', () => {
    closed = true
    for (const id of [...subscriptions.keys()]) unsubscribe(id)
  })
}
