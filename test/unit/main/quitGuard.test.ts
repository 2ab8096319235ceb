import { describe, expect, it } from 'vitest'
import { installQuitGuard, ShutdownHooks, type QuittingApp } from '../../../src/main/quitGuard.js'

/** Electron's app, reduced to before-quit and quit: quit() fires before-quit again, as Electron does. */
function fakeApp() {
  let listener: (event: { preventDefault(): void }) => void = () => undefined
  let quits = 0
  let exited = false
  const app: QuittingApp & { requestQuit(): boolean } = {
    on: (_event, l) => {
      listener = l
    },
    quit() {
      quits += 1
      app.requestQuit()
    },
    requestQuit() {
      let prevented = false
      listener({ preventDefault: () => (prevented = true) })
      if (!prevented) exited = true
      return !prevented
    }
  }
  return { app, quits: () => quits, exited: () => exited }
}

describe('the quit guard', () => {
  it('holds the quit until shutdown has finished, then quits once', async () => {
    const { app, quits, exited } = fakeApp()
    let finish: () => void = () => undefined
    installQuitGuard(app, () => new Promise<void>((resolve) => (finish = resolve)))
    expect(app.requestQuit()).toBe(false)
    expect(app.requestQuit()).toBe(false)
    expect(exited()).toBe(false)
    finish()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(quits()).toBe(1)
    expect(exited()).toBe(true)
  })

  it('quits anyway when shutdown fails or hangs', async () => {
    const failing = fakeApp()
    const errors: unknown[] = []
    installQuitGuard(failing.app, () => Promise.reject(new Error('checkpoint failed')), { onError: (e) => errors.push(e) })
    failing.app.requestQuit()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(failing.exited()).toBe(true)
    expect(errors).toHaveLength(1)

    const hanging = fakeApp()
    installQuitGuard(hanging.app, () => new Promise(() => undefined), { timeoutMs: 20, onError: (e) => errors.push(e) })
    hanging.app.requestQuit()
    await new Promise((resolve) => setTimeout(resolve, 40))
    expect(hanging.exited()).toBe(true)
    expect(String(errors[1])).toMatch(/longer than 20 ms/)
  })
})

describe('ShutdownHooks', () => {
  it('runs every hook once, last registered first, even when one fails', async () => {
    const hooks = new ShutdownHooks()
    const order: string[] = []
    hooks.add(() => {
      order.push('streams')
    })
    hooks.add(async () => {
      order.push('runner')
      throw new Error('x')
    })
    const errors: unknown[] = []
    await hooks.run((e) => errors.push(e))
    await hooks.run()
    expect(order).toEqual(['runner', 'streams'])
    expect(errors).toHaveLength(1)
  })
})
