import { BackendError } from './backend.js'

export interface SequenceLeaseRequest<T> {
  /** The long-lived speaker this request belongs to; its own sequence is preferred. */
  agentKey?: string
  /** How much of a sequence's cached state the request could reuse; the highest wins among unowned ones. */
  affinity?: (item: T) => number
  signal?: AbortSignal
}

export interface SequenceLease<T> {
  readonly item: T
  /** The agent whose cached sequence was taken over for this lease, if any. */
  readonly evictedAgent: string | null
  /** Returns the sequence to the pool; safe to call more than once. */
  release(): void
}

interface Slot<T> {
  readonly item: T
  owner: string | null
  lastUsed: number
  busy: boolean
}

interface Waiter<T> {
  readonly request: SequenceLeaseRequest<T>
  resolve(lease: SequenceLease<T>): void
  reject(error: Error): void
  detach(): void
}

/**
 * Leases a fixed set of sequences (one llama.cpp context) to concurrent requests. Each agent keeps
 * "its" sequence between turns so its prompt prefix stays evaluated: a request gets its agent's own
 * sequence if free, else the free unowned sequence it can reuse most of, else the free sequence of
 * the least recently used agent (evicting it). With none free it waits, first come first served.
 */
export class SequencePool<T> {
  private readonly slots: Slot<T>[]
  private readonly waiters: Waiter<T>[] = []
  private clock = 0
  private closedWith: Error | null = null

  constructor(items: readonly T[]) {
    if (items.length === 0) throw new RangeError('a sequence pool needs at least one sequence')
    this.slots = items.map((item) => ({ item, owner: null, lastUsed: 0, busy: false }))
  }

  get size(): number {
    return this.slots.length
  }

  get busyCount(): number {
    return this.slots.filter((slot) => slot.busy).length
  }

  get waitingCount(): number {
    return this.waiters.length
  }

  /** The agent that currently owns `item`'s cached state, if any. */
  ownerOf(item: T): string | null {
    return this.slots.find((slot) => slot.item === item)?.owner ?? null
  }

  lease(request: SequenceLeaseRequest<T> = {}): Promise<SequenceLease<T>> {
    if (this.closedWith) return Promise.reject(this.closedWith)
    if (request.signal?.aborted) return Promise.reject(abortedWhileWaiting())
    const lease = this.tryLease(request)
    if (lease) return Promise.resolve(lease)
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.removeWaiter(waiter)
        reject(abortedWhileWaiting())
      }
      const waiter: Waiter<T> = {
        request,
        resolve,
        reject,
        detach: () => request.signal?.removeEventListener('abort', onAbort)
      }
      request.signal?.addEventListener('abort', onAbort, { once: true })
      this.waiters.push(waiter)
    })
  }

  /** The agent is done (its discussion ended): its sequence becomes an ordinary free one. */
  releaseAgent(agentKey: string): void {
    for (const slot of this.slots) if (slot.owner === agentKey) slot.owner = null
  }

  /** Rejects every waiting request with `error`; later leases fail with it too. */
  close(error: Error): void {
    this.closedWith = error
    for (const waiter of this.waiters.splice(0)) {
      waiter.detach()
      waiter.reject(error)
    }
  }

  private tryLease(request: SequenceLeaseRequest<T>): SequenceLease<T> | null {
    const slot = this.pick(request)
    if (!slot) return null
    const evictedAgent = slot.owner !== null && slot.owner !== request.agentKey ? slot.owner : null
    if (request.agentKey !== undefined) {
      // One owner per agent: a second sequence it used stays reusable through affinity, unowned.
      for (const other of this.slots) if (other.owner === request.agentKey) other.owner = null
    }
    slot.owner = request.agentKey ?? null
    slot.busy = true
    let released = false
    return {
      item: slot.item,
      evictedAgent,
      release: () => {
        if (released) return
        released = true
        slot.busy = false
        slot.lastUsed = ++this.clock
        this.dispatch()
      }
    }
  }

  private pick(request: SequenceLeaseRequest<T>): Slot<T> | undefined {
    const free = this.slots.filter((slot) => !slot.busy)
    if (free.length === 0) return undefined
    if (request.agentKey !== undefined) {
      const own = free.find((slot) => slot.owner === request.agentKey)
      if (own) return own
    }
    const unowned = free.filter((slot) => slot.owner === null)
    if (unowned.length > 0) return bestBy(unowned, (slot) => request.affinity?.(slot.item) ?? 0)
    return bestBy(free, (slot) => -slot.lastUsed)
  }

  private dispatch(): void {
    while (this.waiters.length > 0) {
      const waiter = this.waiters[0]!
      const lease = this.tryLease(waiter.request)
      if (!lease) return
      this.waiters.shift()
      waiter.detach()
      waiter.resolve(lease)
    }
  }

  private removeWaiter(waiter: Waiter<T>): void {
    const index = this.waiters.indexOf(waiter)
    if (index !== -1) this.waiters.splice(index, 1)
  }
}

/** The first item with the highest score. */
function bestBy<S>(items: readonly S[], score: (item: S) => number): S {
  let best: S = items[0]!
  let bestScore = score(best)
  for (const item of items.slice(1)) {
    const itemScore = score(item)
    if (itemScore > bestScore) {
      best = item
      bestScore = itemScore
    }
  }
  return best
}

function abortedWhileWaiting(): BackendError {
  return new BackendError('aborted', 'the request was aborted while waiting for a free sequence')
}
