import type { Connection, ConnectionStatus } from './connection.js'
import type { Contract } from './contract.js'
import type { EventHub } from './eventHub.js'
import { dispatch, type HandlerTable } from './handlerTable.js'

const OPEN: ConnectionStatus = Object.freeze({ state: 'open', attempt: 0 })

/**
 * A connection that calls a handler table and an event hub directly: for tests, and for a host and
 * UI in one process. Payloads still go through JSON, as they would on a wire, so nothing passes
 * here that a real transport would refuse.
 */
export function createLocalConnection<C extends Contract>(contract: C, table: HandlerTable<C>, hub: EventHub): Connection {
  const wire = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)))
  return {
    call: async (method, input) => wire(await dispatch(contract, table, method, wire(input))),
    subscribe(topic, handlers) {
      let stop: (() => void) | undefined
      let ended = false
      void hub.subscribe(topic, wire(handlers.cursor()), (payload) => handlers.onEvent(wire(payload))).then((outcome) => {
        if (!outcome.ok) return handlers.onError(outcome.error)
        if (ended) return outcome.unsubscribe()
        stop = outcome.unsubscribe
        handlers.onLive?.()
      })
      return () => {
        ended = true
        stop?.()
      }
    },
    status: () => OPEN,
    onStatus: () => () => undefined,
    close: () => undefined
  }
}
