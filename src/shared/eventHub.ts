import type { z } from 'zod'
import { issueDetails, toApiErrorShape, type ApiErrorShape } from './apiError.js'
import { isTopicOf, type EventContract, type PayloadOf, type TopicName, type TopicSpec } from './eventContract.js'

/** What a host provides per topic: start sending payloads to `send` from `cursor` on, and how to stop. */
export type TopicSource<Payload, Cursor> = (
  send: (payload: Payload) => void,
  cursor: Cursor
) => (() => void) | Promise<() => void>

export type EventSources<E extends EventContract> = {
  readonly [T in TopicName<E>]: TopicSource<PayloadOf<E, T>, z.output<E[T]['cursor']>>
}

export type SubscribeOutcome = { ok: true; unsubscribe: () => void } | { ok: false; error: ApiErrorShape }

/** The host's side of event subscriptions, shared by the IPC and the WebSocket transports. */
export interface EventHub {
  /** Checks topic and cursor (untrusted, from a transport) and starts the topic's source. Never throws. */
  subscribe(topic: unknown, cursor: unknown, send: (payload: unknown) => void): Promise<SubscribeOutcome>
}

export function createEventHub<E extends EventContract>(events: E, sources: EventSources<E>): EventHub {
  return {
    async subscribe(topic, cursor, send) {
      if (!isTopicOf(events, topic)) {
        const name = typeof topic === 'string' ? JSON.stringify(topic) : `a ${typeof topic}`
        return { ok: false, error: { code: 'unknown-method', message: `there is no event topic ${name}` } }
      }
      const parsed = (events[topic] as TopicSpec).cursor.safeParse(cursor)
      if (!parsed.success) {
        return {
          ok: false,
          error: { code: 'invalid-input', message: `invalid cursor for ${topic}`, details: issueDetails(parsed.error) }
        }
      }
      try {
        const source = sources[topic] as TopicSource<unknown, unknown>
        const unsubscribe = await source(send, parsed.data)
        return { ok: true, unsubscribe }
      } catch (error) {
        return { ok: false, error: toApiErrorShape(error) }
      }
    }
  }
}
