import type { ApiErrorShape } from './apiError.js'

/**
 * - `connecting`: the first attempt is under way
 * - `open`: calls and events flow
 * - `reconnecting`: the link dropped; calls wait, and subscriptions resume (catching up) once it is back
 * - `closed`: closed on purpose; nothing more will happen
 */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed'

export interface ConnectionStatus {
  readonly state: ConnectionState
  /** Failed attempts since the link was last open. */
  readonly attempt: number
  /** While reconnecting: when the next attempt starts (ms since the epoch). */
  readonly retryAt?: number
}

export interface SubscriptionHandlers {
  /** Asked at every (re)subscription: how far this subscriber has read. */
  cursor(): unknown
  onEvent(payload: unknown): void
  onError(error: ApiErrorShape): void
  /** The host has sent what was missed and the subscription is live. */
  onLive?(): void
}

/**
 * A link from a UI to its host, whatever carries it (Electron IPC, a WebSocket, a direct call in
 * tests). Untyped: `createHostClient` puts the contract's types and checks on top.
 */
export interface Connection {
  /** Sends one call; resolves with the raw result envelope (`ApiResult`). */
  call(method: string, input: unknown): Promise<unknown>
  /** Starts a subscription (again after every reconnect); answers the function that ends it. */
  subscribe(topic: string, handlers: SubscriptionHandlers): () => void
  status(): ConnectionStatus
  /** Told of every status change; answers the function that stops it. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void
  close(): void
}

/** Subscription ids unique within one page, without a dependency on crypto. */
export function subscriptionIds(prefix = 's'): () => string {
  let next = 0
  return () => `${prefix}${(next++).toString(36)}`
}
