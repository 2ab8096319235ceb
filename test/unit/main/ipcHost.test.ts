import { describe, expect, it } from 'vitest'
import { createDesktopImplementation } from '../../../src/main/desktopImplementation.js'
import { registerIpcHost, type IpcEventLike, type IpcMainLike, type IpcSender } from '../../../src/main/ipcHost.js'
import {
  appContract,
  appEvents,
  Broadcaster,
  createEventHub,
  createHandlerTable,
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  IPC_RESET_CHANNEL,
  IPC_SUBSCRIBE_CHANNEL,
  IPC_UNSUBSCRIBE_CHANNEL,
  methodNames,
  StreamHub,
  type SubscriptionMessage,
  type WorkspaceChanged
} from '../../../src/shared/index.js'
import { emptyWorkspace } from '../../helpers/emptyWorkspace.js'
import { tempDir } from '../../helpers/tempDir.js'

const RENDERER = 'file:///opt/SDF%20Studio/out/renderer/index.html'

/** Electron's ipcMain, reduced to what the host registers: one invoke handler and listeners per channel. */
class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>()
  readonly listeners = new Map<string, (event: IpcEventLike, ...args: unknown[]) => void>()
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`)
    this.handlers.set(channel, listener)
  }
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): this {
    this.listeners.set(channel, listener)
    return this
  }
  /** Like `ipcRenderer.invoke`: whatever the handler returns arrives as a promise. */
  async invoke(event: IpcEventLike, ...args: unknown[]) {
    return this.handlers.get(IPC_INVOKE_CHANNEL)?.(event, ...args)
  }
  send(channel: string, event: IpcEventLike, ...args: unknown[]) {
    this.listeners.get(channel)?.(event, ...args)
  }
}

/** A renderer window: its main frame, and what main sends to it. */
function fakeRenderer(id: number, url = RENDERER, parent: unknown = null) {
  const received: SubscriptionMessage[] = []
  let destroyed = false
  let onDestroyed: () => void = () => undefined
  const sender: IpcSender = {
    id,
    send: (channel, message) => {
      if (channel === IPC_EVENT_CHANNEL) received.push(message as SubscriptionMessage)
    },
    isDestroyed: () => destroyed,
    once: (_event, listener) => {
      onDestroyed = listener
    }
  }
  const event: IpcEventLike = { senderFrame: { url, parent }, sender }
  return {
    event,
    received,
    destroy() {
      destroyed = true
      onDestroyed()
    }
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

async function setUp() {
  const workspace = await emptyWorkspace(await tempDir())
  const streams = new StreamHub({ windowMs: 1 })
  const changes = new Broadcaster<WorkspaceChanged>()
  const { implementation } = createDesktopImplementation({
    version: '0.1.0',
    platform: 'linux',
    workspace,
    chooseFolder: async () => null,
    changed: (event) => changes.publish(event)
  })
  const ipcMain = new FakeIpcMain()
  registerIpcHost(ipcMain, {
    contract: appContract,
    table: createHandlerTable(appContract, implementation),
    events: createEventHub(appEvents, {
      'stream.tokens': (send, cursor) => streams.subscribe(send, cursor),
      'workspace.changed': (send) => changes.subscribe(send),
      'run.events': () => () => undefined,
      'annotation.events': () => () => undefined,
      'model.download': () => () => undefined
    }),
    rendererUrl: RENDERER
  })
  return { ipcMain, streams, changes, workspace }
}

describe('the IPC host', () => {
  it('registers one invoke channel and the subscription channels, nothing else', async () => {
    const { ipcMain } = await setUp()
    expect([...ipcMain.handlers.keys()]).toEqual([IPC_INVOKE_CHANNEL])
    expect([...ipcMain.listeners.keys()].sort()).toEqual([IPC_RESET_CHANNEL, IPC_SUBSCRIBE_CHANNEL, IPC_UNSUBSCRIBE_CHANNEL].sort())
  })

  it('serves every method of the contract, each checking its input', async () => {
    const { ipcMain } = await setUp()
    const renderer = fakeRenderer(1)
    for (const method of methodNames(appContract)) {
      const result = await ipcMain.invoke(renderer.event, method, { unexpected: true })
      expect(result, method).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    }
    await expect(ipcMain.invoke(renderer.event, 'fs.rm', {})).resolves.toMatchObject({ ok: false, error: { code: 'unknown-method' } })
  })

  it('answers the desktop host’s info and works on the open workspace', async () => {
    const { ipcMain, workspace } = await setUp()
    const renderer = fakeRenderer(1)
    await expect(ipcMain.invoke(renderer.event, 'app.info', {})).resolves.toEqual({
      ok: true,
      value: { version: '0.1.0', platform: 'linux', host: 'electron', workspacePath: workspace.root }
    })
    await expect(ipcMain.invoke(renderer.event, 'personas.put', { record: { id: 'ada', username: 'Ada' } })).resolves.toMatchObject({ ok: true })
    await expect(ipcMain.invoke(renderer.event, 'workspace.summary', {})).resolves.toMatchObject({ ok: true, value: { counts: { personas: 1 } } })
  })

  it('refuses calls and subscriptions from subframes and other pages', async () => {
    const { ipcMain, changes } = await setUp()
    for (const intruder of [fakeRenderer(2, RENDERER, {}), fakeRenderer(3, 'https://example.com/')]) {
      await expect(ipcMain.invoke(intruder.event, 'app.info', {})).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } })
      ipcMain.send(IPC_SUBSCRIBE_CHANNEL, intruder.event, { type: 'subscribe', id: 'a', topic: 'workspace.changed' })
      await tick()
      changes.publish({ kinds: ['topic'] })
      expect(intruder.received).toEqual([])
    }
  })

  it('delivers events to the subscribing window, and checks what the renderer sends', async () => {
    const { ipcMain, streams } = await setUp()
    const renderer = fakeRenderer(1)
    ipcMain.send(IPC_SUBSCRIBE_CHANNEL, renderer.event, { type: 'subscribe', id: 'ipc0', topic: 'stream.tokens', cursor: {} })
    ipcMain.send(IPC_SUBSCRIBE_CHANNEL, renderer.event, { type: 'subscribe', id: 'ipc1', topic: 'no.such.topic' })
    ipcMain.send(IPC_SUBSCRIBE_CHANNEL, renderer.event, { type: 'subscribe', id: 42 })
    await tick()
    streams.append('s', 'a', 'b')
    streams.flush()
    expect(renderer.received.filter((message) => message.id === 'ipc0')).toEqual([
      { type: 'subscribed', id: 'ipc0' },
      { type: 'event', id: 'ipc0', payload: { batches: [{ stream: 's', from: 0, tokens: ['a', 'b'], done: false }] } }
    ])
    expect(renderer.received.filter((message) => message.id !== 'ipc0')).toEqual([
      { type: 'subscribe-failed', id: 'ipc1', error: { code: 'unknown-method', message: 'there is no event topic "no.such.topic"' } }
    ])
  })

  it('ends subscriptions on unsubscribe, on a page reload and when the window goes', async () => {
    const { ipcMain, changes } = await setUp()
    const renderer = fakeRenderer(1)
    const subscribe = (id: string) => ipcMain.send(IPC_SUBSCRIBE_CHANNEL, renderer.event, { type: 'subscribe', id, topic: 'workspace.changed' })
    subscribe('a')
    subscribe('b')
    await tick()
    expect(changes.size).toBe(2)
    ipcMain.send(IPC_UNSUBSCRIBE_CHANNEL, renderer.event, { type: 'unsubscribe', id: 'a' })
    expect(changes.size).toBe(1)
    ipcMain.send(IPC_RESET_CHANNEL, renderer.event)
    expect(changes.size).toBe(0)
    subscribe('c')
    await tick()
    expect(changes.size).toBe(1)
    renderer.destroy()
    expect(changes.size).toBe(0)
  })
})
