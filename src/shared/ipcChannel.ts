/**
 * The IPC channels of the desktop host. Kept in a module without zod so that the sandboxed preload
 * bundle stays a single small file.
 */
export const IPC_INVOKE_CHANNEL = 'sdf:invoke'
/** Renderer → main: `{ type: 'subscribe', id, topic, cursor }` (see `SubscribeMessageSchema`). */
export const IPC_SUBSCRIBE_CHANNEL = 'sdf:subscribe'
/** Renderer → main: `{ type: 'unsubscribe', id }`. */
export const IPC_UNSUBSCRIBE_CHANNEL = 'sdf:unsubscribe'
/** Renderer → main, sent by the preload when a page loads: drop the subscriptions of the page before. */
export const IPC_RESET_CHANNEL = 'sdf:reset'
/** Main → renderer: one `SubscriptionMessage` (subscribed, subscribe-failed or event). */
export const IPC_EVENT_CHANNEL = 'sdf:event'
