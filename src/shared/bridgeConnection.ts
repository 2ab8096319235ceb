import { subscriptionIds, type Connection, type ConnectionStatus } from './connection.js'
import { SubscriptionMessageSchema } from './wireProtocol.js'

/** The desktop preload's bridge as the renderer sees it (`window.sdf`, declared in `preload/sdfBridge.d.ts`). */
export interface BridgeLike {
  invoke(method: string, input: unknown): Promise<unknown>
  /** `listener` gets every `SubscriptionMessage` main sends for this id; answers the function that ends it. */
  subscribe(id: string, topic: string, cursor: unknown, listener: (message: unknown) => void): () => void
}

const OPEN: ConnectionStatus = Object.freeze({ state: 'open', attempt: 0 })

/**
 * The desktop host's transport. IPC has no link to lose: the connection is open for the life of
 * the page, and a reloaded page starts again from nothing (the preload tells main so).
 */
export function createBridgeConnection(bridge: BridgeLike): Connection {
  const nextId = subscriptionIds('ipc')
  return {
    call: (method, input) => bridge.invoke(method, input),
    subscribe(topic, handlers) {
      // Messages come from main through the preload: checked here, on the receiving side.
      return bridge.subscribe(nextId(), topic, handlers.cursor(), (raw) => {
        const parsed = SubscriptionMessageSchema.safeParse(raw)
        if (!parsed.success) {
          handlers.onError({ code: 'transport', message: 'the desktop host sent an event outside the protocol' })
          return
        }
        const message = parsed.data
        if (message.type === 'event') handlers.onEvent(message.payload)
        else if (message.type === 'subscribed') handlers.onLive?.()
        else handlers.onError(message.error)
      })
    },
    status: () => OPEN,
    onStatus: () => () => undefined,
    close: () => undefined
  }
}
