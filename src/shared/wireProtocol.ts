import { z } from 'zod'
import { ApiErrorShapeSchema } from './apiError.js'
import { ApiResultSchema } from './apiResult.js'

/** A subscription id, chosen by the client and unique on its connection. */
export const SubscriptionIdSchema = z.string().min(1).max(64)

/** Start receiving a topic, replaying from `cursor` where the topic supports it. */
export const SubscribeMessageSchema = z.strictObject({
  type: z.literal('subscribe'),
  id: SubscriptionIdSchema,
  topic: z.string().min(1).max(100),
  cursor: z.unknown().optional()
})

export const UnsubscribeMessageSchema = z.strictObject({ type: z.literal('unsubscribe'), id: SubscriptionIdSchema })

/** What a UI sends over the WebSocket; over IPC, calls go through `invoke` and the rest as below. */
export const ClientMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('call'),
    id: z.number().int().nonnegative(),
    method: z.string().min(1).max(100),
    input: z.unknown().optional()
  }),
  SubscribeMessageSchema,
  UnsubscribeMessageSchema
])

export type ClientMessage = z.infer<typeof ClientMessageSchema>

/** Everything about one subscription that the host sends (over WebSocket and over IPC alike). */
export const SubscriptionMessageSchema = z.discriminatedUnion('type', [
  /** The subscription is live (after its replay was sent). */
  z.object({ type: z.literal('subscribed'), id: SubscriptionIdSchema }),
  z.object({ type: z.literal('subscribe-failed'), id: SubscriptionIdSchema, error: ApiErrorShapeSchema }),
  z.object({ type: z.literal('event'), id: SubscriptionIdSchema, payload: z.unknown() })
])

export type SubscriptionMessage = z.infer<typeof SubscriptionMessageSchema>

/** What the web host sends over the WebSocket. */
export const HostMessageSchema = z.union([
  z.object({ type: z.literal('result'), id: z.number().int().nonnegative(), result: ApiResultSchema }),
  SubscriptionMessageSchema,
  /** A message the host could not read; the connection stays open. */
  z.object({ type: z.literal('protocol-error'), error: ApiErrorShapeSchema })
])

export type HostMessage = z.infer<typeof HostMessageSchema>

/** The WebSocket's path on the web host. */
export const WEB_SOCKET_PATH = '/api'
