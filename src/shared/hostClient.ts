import { ApiError, describeIssues, issueDetails } from './apiError.js'
import { createClient } from './client.js'
import type { Connection, ConnectionStatus } from './connection.js'
import type { ApiClient, Contract } from './contract.js'
import type { CursorOf, EventContract, PayloadOf, TopicName } from './eventContract.js'

export interface SubscribeOptions<E extends EventContract, T extends TopicName<E>> {
  onEvent(payload: PayloadOf<E, T>): void
  /** Asked at every (re)subscription; leave it out for topics without replay. */
  cursor?: () => CursorOf<E, T>
  /** The host refused the subscription, or sent a payload that breaks the topic's schema (it is dropped). */
  onError?(error: ApiError): void
  /** The subscription is live: what was missed has arrived. */
  onLive?(): void
}

/** Everything a UI uses to talk to its host: typed calls, typed events, and the link's state. */
export interface HostClient<C extends Contract, E extends EventContract> {
  readonly api: ApiClient<C>
  subscribe<T extends TopicName<E>>(topic: T, options: SubscribeOptions<E, T>): () => void
  status(): ConnectionStatus
  onStatus(listener: (status: ConnectionStatus) => void): () => void
  close(): void
}

/** Puts the contract's types and checks on any connection; payloads are parsed where they arrive. */
export function createHostClient<C extends Contract, E extends EventContract>(
  contract: C,
  events: E,
  connection: Connection
): HostClient<C, E> {
  return {
    api: createClient(contract, (method, input) => connection.call(method, input)),
    subscribe(topic, options) {
      const spec = events[topic]
      if (spec === undefined) {
        throw new ApiError('unknown-method', `there is no event topic ${JSON.stringify(topic)}`)
      }
      return connection.subscribe(topic, {
        cursor: () => options.cursor?.(),
        onEvent(raw) {
          const parsed = spec.payload.safeParse(raw)
          if (parsed.success) {
            options.onEvent(parsed.data as PayloadOf<E, typeof topic>)
          } else {
            options.onError?.(
              new ApiError('invalid-output', `invalid ${topic} event: ${describeIssues(parsed.error)}`, issueDetails(parsed.error))
            )
          }
        },
        onError: (error) => options.onError?.(ApiError.fromShape(error)),
        onLive: () => options.onLive?.()
      })
    },
    status: () => connection.status(),
    onStatus: (listener) => connection.onStatus(listener),
    close: () => connection.close()
  }
}
