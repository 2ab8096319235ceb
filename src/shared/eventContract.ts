import type { z } from 'zod'

/**
 * One event topic: the schema of each event's payload, and of the cursor a subscriber may send so
 * that the host can replay what it missed (`z.undefined()` for topics without replay).
 */
export interface TopicSpec<Payload extends z.ZodType = z.ZodType, Cursor extends z.ZodType = z.ZodType> {
  readonly payload: Payload
  readonly cursor: Cursor
}

/** Event topics (dotted, `area.what`) mapped to their schemas. */
export type EventContract = Readonly<Record<string, TopicSpec>>

export type TopicName<E extends EventContract> = Extract<keyof E, string>

export type PayloadOf<E extends EventContract, T extends TopicName<E>> = z.output<E[T]['payload']>

export type CursorOf<E extends EventContract, T extends TopicName<E>> = z.input<E[T]['cursor']>

/** Declares the event topics; frozen like the method contract. */
export function defineEvents<const E extends EventContract>(topics: E): E {
  for (const spec of Object.values(topics)) {
    Object.freeze(spec)
  }
  return Object.freeze(topics)
}

/** True only for the contract's own topics (never `toString`, `__proto__` and the like). */
export function isTopicOf<E extends EventContract>(events: E, topic: unknown): topic is TopicName<E> {
  return typeof topic === 'string' && Object.hasOwn(events, topic)
}
