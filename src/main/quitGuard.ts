/** The part of Electron's `app` the guard uses; tests pass a stand-in. */
export interface QuittingApp {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown
  quit(): void
}

export interface QuitGuardOptions {
  /** The app quits after this long even if shutdown has not finished: a hung hook must not keep it open. */
  timeoutMs?: number
  onError?(error: unknown): void
}

/**
 * Holds the first quit until `shutdown` has finished (later: running discussions checkpoint their
 * journals), then quits for real. Quit requests made meanwhile wait for the same shutdown.
 */
export function installQuitGuard(app: QuittingApp, shutdown: () => Promise<void>, options: QuitGuardOptions = {}): void {
  let phase: 'running' | 'stopping' | 'stopped' = 'running'
  app.on('before-quit', (event) => {
    if (phase === 'stopped') return
    event.preventDefault()
    if (phase === 'stopping') return
    phase = 'stopping'
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        options.onError?.(new Error(`shutdown took longer than ${options.timeoutMs ?? 10_000} ms; quitting anyway`))
        resolve()
      }, options.timeoutMs ?? 10_000)
    })
    void Promise.race([shutdown().catch((error: unknown) => options.onError?.(error)), timeout]).finally(() => {
      clearTimeout(timer)
      phase = 'stopped'
      app.quit()
    })
  })
}

/** Callbacks run in reverse order of registration when the app quits, each awaited. */
export class ShutdownHooks {
  private readonly hooks: (() => Promise<void> | void)[] = []

  add(hook: () => Promise<void> | void): void {
    this.hooks.push(hook)
  }

  async run(onError: (error: unknown) => void = () => undefined): Promise<void> {
    for (const hook of this.hooks.splice(0).reverse()) {
      try {
        await hook()
      } catch (error) {
        onError(error)
      }
    }
  }
}
