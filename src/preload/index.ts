// Sandboxed preload (built as CommonJS): exposes the contract's transport and nothing else. Never
// expose ipcRenderer, process or a generic send/on: the renderer gets one call function and one
// subscription function, each bound to its own channel.
import { contextBridge, ipcRenderer } from 'electron'
import {
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  IPC_RESET_CHANNEL,
  IPC_SUBSCRIBE_CHANNEL,
  IPC_UNSUBSCRIBE_CHANNEL
} from '../shared/ipcChannel.js'
import type { SdfBridge } from './sdfBridge.js'

const listeners = new Map<string, (message: unknown) => void>()

// Main's messages name their subscription; the renderer validates them (zod lives there, not here).
ipcRenderer.on(IPC_EVENT_CHANNEL, (_event, message: unknown) => {
  const id = typeof message === 'object' && message !== null ? (message as { id?: unknown }).id : undefined
  if (typeof id === 'string') listeners.get(id)?.(message)
})

// A reloaded page starts with no subscriptions: main drops the ones of the page before.
ipcRenderer.send(IPC_RESET_CHANNEL)

const bridge: SdfBridge = {
  invoke(method: string, input: unknown): Promise<unknown> {
    if (typeof method !== 'string') {
      return Promise.reject(new TypeError('method must be a string'))
    }
    return ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, input)
  },
  subscribe(id: string, topic: string, cursor: unknown, listener: (message: unknown) => void): () => void {
    if (typeof id !== 'string' || typeof topic !== 'string' || typeof listener !== 'function') {
      throw new TypeError('subscribe(id, topic, cursor, listener) takes two strings, a cursor and a function')
    }
    listeners.set(id, listener)
    ipcRenderer.send(IPC_SUBSCRIBE_CHANNEL, { type: 'subscribe', id, topic, cursor })
    return () => {
      if (listeners.delete(id)) ipcRenderer.send(IPC_UNSUBSCRIBE_CHANNEL, { type: 'unsubscribe', id })
    }
  }
}

contextBridge.exposeInMainWorld('sdf', bridge)
