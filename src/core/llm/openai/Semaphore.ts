import { BackendError } from '../backend.js'

interface Waiter {
  resolve(release: () => void): void
  reject(error: Error): void
  detach(): void
}

/** At most `limit` holders at once; the rest wait first come, first served, and may give up through a signal. */
export class Semaphore {
  private active = 0
  private readonly waiting: Waiter[] = []
  private closedWith: Error | null = null

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a semaphore needs a limit of at least 1, not ${limit}`)
  }

  get activeCount(): number {
    return this.active
  }

  get waitingCount(): number {
    return this.waiting.length
  }

  /** Resolves with the release function (safe to call twice); rejects with BackendError 'aborted' or the close error. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.closedWith) return Promise.reject(this.closedWith)
    if (signal?.aborted) return Promise.reject(abortedWhileWaiting())
    if (this.active < this.limit) {
      this.active++
      return Promise.resolve(this.releaser())
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(waiter)
        if (index !== -1) this.waiting.splice(index, 1)
        reject(abortedWhileWaiting())
      }
      const waiter: Waiter = { resolve, reject, detach: () => signal?.removeEventListener('abort', onAbort) }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.waiting.push(waiter)
    })
  }

  /** Rejects every waiter and every later `acquire` with `error`; current holders finish normally. */
  close(error: Error): void {
    this.closedWith = error
    for (const waiter of this.waiting.splice(0)) {
      waiter.detach()
      waiter.reject(error)
    }
  }

  private releaser(): () => void {
    let released = false
    return () => {
      if (released) return
      released = true
      const next = this.waiting.shift()
      if (next) {
        // The slot passes straight to the next waiter, so a new arrival cannot jump the queue.
        next.detach()
        next.resolve(this.releaser())
      } else {
        this.active--
      }
    }
  }
}

function abortedWhileWaiting(): BackendError {
  return new BackendError('aborted', 'the request was aborted while it waited for a free connection slot')
}
