import { describe, expect, it } from 'vitest'
import type { AppHost } from '../../../src/renderer/src/apiClient.js'
import { createStreamStore } from '../../../src/renderer/src/streamStore.js'

/** A host whose only part in use is `subscribe`: counts the subscriptions that are open. */
function countingHost() {
  let open = 0
  let made = 0
  const host = {
    subscribe: () => {
      open += 1
      made += 1
      return () => {
        open -= 1
      }
    }
  } as unknown as AppHost
  return { host, open: () => open, made: () => made }
}

describe('the token stream store', () => {
  it('keeps its one subscription while any page still uses it, even when the next page starts before the last one stops', () => {
    const { host, open, made } = countingHost()
    const store = createStreamStore(host)
    const stopOverview = store.getState().start()
    // The run page starts during its render, before the overview's cleanup runs.
    const stopRunPage = store.getState().start()
    stopOverview()
    expect(open()).toBe(1)
    expect(made()).toBe(1)
    stopRunPage()
    expect(open()).toBe(0)
  })

  it('ends the subscription once, however often a page calls its stop, and opens a new one for the next user', () => {
    const { host, open, made } = countingHost()
    const store = createStreamStore(host)
    const stop = store.getState().start()
    stop()
    stop()
    expect(open()).toBe(0)
    const again = store.getState().start()
    expect(open()).toBe(1)
    expect(made()).toBe(2)
    again()
  })
})
