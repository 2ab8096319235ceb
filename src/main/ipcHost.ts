import {
  dispatch,
  failure,
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  IPC_RESET_CHANNEL,
  IPC_SUBSCRIBE_CHANNEL,
  IPC_UNSUBSCRIBE_CHANNEL,
  SubscribeMessageSchema,
  UnsubscribeMessageSchema,
  type Contract,
  type EventHub,
  type HandlerTable,
  type SubscriptionMessage
} from '../shared/index.js'
import { isTrustedSender, type SenderFrame } from './trustedSender.js'

/** The renderer's `WebContents`, as far as the IPC host uses it. */
export interface IpcSender {
  readonly id: number
  send(channel: string, message: unknown): void
  isDestroyed(): boolean
  once(event: 'destroyed', listener: () => void): unknown
}

export interface IpcEventLike {
  readonly senderFrame: SenderFrame | null
  readonly sender: IpcSender
}

/** The part of Electron's `ipcMain` the host uses; tests pass a stand-in. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown
}

export interface IpcHostOptions<C extends Contract> {
  contract: C
  table: HandlerTable<C>
  events: EventHub
  /** The page allowed to use the API (see `isTrustedSender`). */
  rendererUrl: string
}

/**
 * Serves the contract on one invoke channel and events on a subscribe/unsubscribe pair, to our own
 * renderer's main frame only. Messages from the renderer are parsed before use; subscriptions end
 * when their page reloads (the preload says so) or its window goes.
 */
export function registerIpcHost<C extends Contract>(ipcMain: IpcMainLike, options: IpcHostOptions<C>): void {
  const { contract, table, events, rendererUrl } = options
  /** Per renderer, subscription id → how to end it (null while it is being set up). */
  const bySender = new Map<number, Map<string, (() => void) | null>>()

  function subscriptionsOf(sender: IpcSender): Map<string, (() => void) | null> {
    let subscriptions = bySender.get(sender.id)
    if (subscriptions === undefined) {
      subscriptions = new Map()
      bySender.set(sender.id, subscriptions)
      sender.once('destroyed', () => dropAll(sender.id))
    }
    return subscriptions
  }

  function dropAll(senderId: number): void {
    const subscriptions = bySender.get(senderId)
    bySender.delete(senderId)
    for (const stop of subscriptions?.values() ?? []) stop?.()
  }

  function post(sender: IpcSender, message: SubscriptionMessage): void {
    if (!sender.isDestroyed()) sender.send(IPC_EVENT_CHANNEL, message)
  }

  ipcMain.handle(IPC_INVOKE_CHANNEL, (event, method, input) => {
    if (!isTrustedSender(event.senderFrame, rendererUrl)) {
      return failure({ code: 'forbidden', message: 'the API is served only to the SDF Studio window' })
    }
    return dispatch(contract, table, method, input)
  })

  ipcMain.on(IPC_SUBSCRIBE_CHANNEL, (event, raw) => {
    if (!isTrustedSender(event.senderFrame, rendererUrl)) return
    const parsed = SubscribeMessageSchema.safeParse(raw)
    if (!parsed.success) return
    const { id, topic, cursor } = parsed.data
    const { sender } = event
    const subscriptions = subscriptionsOf(sender)
    if (subscriptions.has(id)) {
      post(sender, { type: 'subscribe-failed', id, error: { code: 'invalid-input', message: `subscription id "${id}" is already in use` } })
      return
    }
    subscriptions.set(id, null)
    void events.subscribe(topic, cursor, (payload) => post(sender, { type: 'event', id, payload })).then((outcome) => {
      if (!outcome.ok) {
        subscriptions.delete(id)
        post(sender, { type: 'subscribe-failed', id, error: outcome.error })
        return
      }
      if (bySender.get(sender.id) !== subscriptions || !subscriptions.has(id)) {
        outcome.unsubscribe()
        return
      }
      subscriptions.set(id, outcome.unsubscribe)
      post(sender, { type: 'subscribed', id })
    })
  })

  ipcMain.on(IPC_UNSUBSCRIBE_CHANNEL, (event, raw) => {
    if (!isTrustedSender(event.senderFrame, rendererUrl)) return
    const parsed = UnsubscribeMessageSchema.safeParse(raw)
    if (!parsed.success) return
    const subscriptions = bySender.get(event.sender.id)
    const stop = subscriptions?.get(parsed.data.id)
    subscriptions?.delete(parsed.data.id)
    stop?.()
  })

  ipcMain.on(IPC_RESET_CHANNEL, (event) => {
    if (!isTrustedSender(event.senderFrame, rendererUrl)) return
    const subscriptions = bySender.get(event.sender.id)
    if (subscriptions === undefined) return
    for (const stop of subscriptions.values()) stop?.()
    subscriptions.clear()
  })
}
