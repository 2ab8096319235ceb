// Sandboxed preload (built as CommonJS): exposes the contract's transport and nothing else. Never
// expose ipcRenderer, process or a generic send/on: the renderer gets one function on one channel.
import { contextBridge, ipcRenderer } from 'electron'
import { IPC_INVOKE_CHANNEL } from '../shared/ipcChannel.js'
import type { SdfBridge } from './sdfBridge.js'

const bridge: SdfBridge = {
  invoke(method: string, input: unknown): Promise<unknown> {
    if (typeof method !== 'string') {
      return Promise.reject(new TypeError('method must be a string'))
    }
    return ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, input)
  }
}

contextBridge.exposeInMainWorld('sdf', bridge)
