import { describe, expect, it } from 'vitest'
import { pickClient, WEB_HOST_UNAVAILABLE } from '../../../src/renderer/src/apiClient.js'
import { createAppStore } from '../../../src/renderer/src/appStore.js'
import {
  ApiError,
  appContract,
  createHandlerTable,
  dispatch,
  type AppContract,
  type Implementation
} from '../../../src/shared/index.js'
import { fakeImplementation } from '../shared/appFakes.js'

const counts = { personas: 2, topics: 1, instructions: 3, discussions: 5, annotations: 8 }

function bridgeFor(implementation: Partial<Implementation<AppContract>>) {
  const table = createHandlerTable(appContract, fakeImplementation(implementation))
  let calls = 0
  return {
    bridge: {
      invoke(method: string, input: unknown) {
        calls += 1
        return dispatch(appContract, table, method, input)
      },
      subscribe: () => () => undefined
    },
    calls: () => calls
  }
}

describe('the app store', () => {
  it('loads the app info and then the summary of the open workspace through the bridge', async () => {
    const { bridge, calls } = bridgeFor({
      'app.info': () => ({ version: '0.1.0', platform: 'linux', host: 'electron', workspacePath: '/ws' }),
      'workspace.summary': () => ({ path: '/ws', counts })
    })
    const store = createAppStore(pickClient(bridge))
    expect(store.getState().info).toEqual({ state: 'loading' })
    await Promise.all([store.getState().load(), store.getState().load()])
    expect(store.getState().info).toMatchObject({ state: 'ready', value: { version: '0.1.0', host: 'electron' } })
    expect(store.getState().summary).toEqual({ state: 'ready', value: { path: '/ws', counts } })
    expect(calls()).toBe(2)
  })

  it('shows no summary when the host has no workspace open', async () => {
    const { bridge } = bridgeFor({
      'app.info': () => ({ version: '0.1.0', platform: 'linux', host: 'electron', workspacePath: null }),
      'workspace.summary': () => {
        throw new Error('must not be called')
      }
    })
    const store = createAppStore(pickClient(bridge))
    await store.getState().load()
    expect(store.getState().summary).toEqual({ state: 'ready', value: null })
  })

  it('keeps the app info when only the summary fails', async () => {
    const { bridge } = bridgeFor({
      'app.info': () => ({ version: '0.1.0', platform: 'linux', host: 'electron', workspacePath: '/ws' }),
      'workspace.summary': () => {
        throw new ApiError('not-implemented', 'not yet')
      }
    })
    const store = createAppStore(pickClient(bridge))
    await store.getState().load()
    expect(store.getState().info.state).toBe('ready')
    expect(store.getState().summary).toEqual({ state: 'failed', message: 'not yet' })
  })

  it('explains that there is no host when the page has neither a desktop bridge nor a web host', async () => {
    const store = createAppStore(pickClient(undefined))
    await store.getState().load()
    expect(store.getState().info).toEqual({ state: 'failed', message: WEB_HOST_UNAVAILABLE })
  })
})
