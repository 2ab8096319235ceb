import { issueDetails } from './apiError.js'
import { subscriptionIds, type Connection, type ConnectionStatus, type SubscriptionHandlers } from './connection.js'
import { HostMessageSchema, type ClientMessage } from './wireProtocol.js'

/** What the connection needs from a WebSocket: the browser's and the `ws` package's both fit in a few lines. */
export interface SocketHandlers {
  onOpen(): void
  onMessage(data: string): void
  onClose(code: number, reason: string): void
}

export interface SocketHandle {
  send(data: string): void
  close(code?: number, reason?: string): void
}

export type OpenSocket = (url: string, handlers: SocketHandlers) => SocketHandle

export interface Backoff {
  initialMs: number
  maxMs: number
  factor: number
}

export interface WebSocketConnectionOptions {
  url: string
  open: OpenSocket
  backoff?: Partial<Backoff>
  /** A call made while the link is down waits this long for it to come back, then fails. */
  queueTimeoutMs?: number
  /** Jitter source, for tests. */
  random?: () => number
  /** Told about messages from the host that do not match the protocol (they are dropped). */
  onProtocolError?: (message: string) => void
}

const DEFAULT_BACKOFF: Backoff = { initialMs: 250, maxMs: 8_000, factor: 2 }

interface PendingCall {
  message: ClientMessage & { type: 'call' }
  sent: boolean
  resolve(value: unknown): void
  reject(error: Error): void
  timer: ReturnType<typeof setTimeout> | undefined
}

/**
 * The web host's transport: one WebSocket, calls matched to answers by id, subscriptions resumed
 * after every reconnect with a fresh cursor (so a stream continues where the page left it), and
 * reconnects with exponential backoff and jitter. A call in flight when the link drops fails (it may
 * or may not have run); a call made while the link is down waits for it.
 */
export function createWebSocketConnection(options: WebSocketConnectionOptions): Connection {
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff }
  const random = options.random ?? Math.random
  const queueTimeoutMs = options.queueTimeoutMs ?? 15_000
  const nextSubscriptionId = subscriptionIds()
  const calls = new Map<number, PendingCall>()
  const subscriptions = new Map<string, { topic: string; handlers: SubscriptionHandlers }>()
  const statusListeners = new Set<(status: ConnectionStatus) => void>()
  let nextCallId = 0
  let socket: SocketHandle | null = null
  let isOpen = false
  let closed = false
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let status: ConnectionStatus = { state: 'connecting', attempt: 0 }

  function setStatus(next: ConnectionStatus): void {
    status = next
    for (const listener of [...statusListeners]) listener(status)
  }

  function send(message: ClientMessage): void {
    socket?.send(JSON.stringify(message))
  }

  function sendSubscribe(id: string, topic: string, handlers: SubscriptionHandlers): void {
    send({ type: 'subscribe', id, topic, cursor: handlers.cursor() })
  }

  function connect(): void {
    retryTimer = undefined
    const handlers: SocketHandlers = {
      onOpen() {
        if (socket !== current) return
        isOpen = true
        setStatus({ state: 'open', attempt: 0 })
        for (const [id, subscription] of subscriptions) sendSubscribe(id, subscription.topic, subscription.handlers)
        for (const call of calls.values()) {
          if (!call.sent) sendCall(call)
        }
      },
      onMessage(data) {
        if (socket === current) receive(data)
      },
      onClose() {
        if (socket === current) lost()
      }
    }
    let current: SocketHandle | null = null
    try {
      current = options.open(options.url, handlers)
      socket = current
    } catch {
      // A socket that cannot even be created (a bad URL, a policy) is retried like a refused one.
      lost()
    }
  }

  function lost(): void {
    socket = null
    const wasOpen = isOpen
    isOpen = false
    for (const [id, call] of calls) {
      if (call.sent) {
        calls.delete(id)
        clearTimeout(call.timer)
        call.reject(new Error('the connection to the host was lost before the answer came'))
      }
    }
    if (closed) return
    const attempt = wasOpen ? 0 : status.attempt + 1
    const delay = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** attempt) * (0.5 + random() / 2)
    const state = wasOpen || status.state === 'reconnecting' ? 'reconnecting' : 'connecting'
    setStatus({ state, attempt, retryAt: Date.now() + delay })
    retryTimer = setTimeout(connect, delay)
  }

  function sendCall(call: PendingCall): void {
    call.sent = true
    clearTimeout(call.timer)
    call.timer = undefined
    send(call.message)
  }

  function receive(data: string): void {
    let raw: unknown
    try {
      raw = JSON.parse(data)
    } catch {
      options.onProtocolError?.('the host sent a message that is not JSON')
      return
    }
    const parsed = HostMessageSchema.safeParse(raw)
    if (!parsed.success) {
      options.onProtocolError?.(`the host sent a message outside the protocol: ${JSON.stringify(issueDetails(parsed.error))}`)
      return
    }
    const message = parsed.data
    switch (message.type) {
      case 'result': {
        const call = calls.get(message.id)
        if (call === undefined) return
        calls.delete(message.id)
        call.resolve(message.result)
        return
      }
      case 'event':
        subscriptions.get(message.id)?.handlers.onEvent(message.payload)
        return
      case 'subscribed':
        subscriptions.get(message.id)?.handlers.onLive?.()
        return
      case 'subscribe-failed': {
        const subscription = subscriptions.get(message.id)
        subscriptions.delete(message.id)
        subscription?.handlers.onError(message.error)
        return
      }
      case 'protocol-error':
        options.onProtocolError?.(message.error.message)
        return
    }
  }

  connect()

  return {
    call(method, input) {
      if (closed) return Promise.reject(new Error('the connection to the host was closed'))
      return new Promise((resolve, reject) => {
        const id = nextCallId++
        const call: PendingCall = { message: { type: 'call', id, method, input }, sent: false, resolve, reject, timer: undefined }
        calls.set(id, call)
        if (isOpen) {
          sendCall(call)
        } else {
          call.timer = setTimeout(() => {
            calls.delete(id)
            reject(new Error('not connected to the host (it may have stopped); try again when the connection is back'))
          }, queueTimeoutMs)
        }
      })
    },
    subscribe(topic, handlers) {
      const id = nextSubscriptionId()
      subscriptions.set(id, { topic, handlers })
      if (isOpen) sendSubscribe(id, topic, handlers)
      return () => {
        if (subscriptions.delete(id) && isOpen) send({ type: 'unsubscribe', id })
      }
    },
    status: () => status,
    onStatus(listener) {
      statusListeners.add(listener)
      return () => {
        statusListeners.delete(listener)
      }
    },
    close() {
      if (closed) return
      closed = true
      clearTimeout(retryTimer)
      socket?.close(1000, 'closed by the page')
      socket = null
      isOpen = false
      for (const call of calls.values()) {
        clearTimeout(call.timer)
        call.reject(new Error('the connection to the host was closed'))
      }
      calls.clear()
      subscriptions.clear()
      setStatus({ state: 'closed', attempt: 0 })
    }
  }
}
