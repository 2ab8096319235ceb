import { describe, expect, it } from 'vitest'
import { BackendError, SequencePool } from '../../../src/core/llm/index.js'

describe('SequencePool', () => {
  it("gives an agent its own sequence back on its next turn", async () => {
    const pool = new SequencePool(['s0', 's1', 's2'])
    const alice = await pool.lease({ agentKey: 'alice' })
    const bob = await pool.lease({ agentKey: 'bob' })
    alice.release()
    bob.release()
    expect((await pool.lease({ agentKey: 'bob' })).item).toBe(bob.item)
    expect((await pool.lease({ agentKey: 'alice' })).item).toBe(alice.item)
  })

  it('prefers the free unowned sequence the request can reuse most of', async () => {
    const pool = new SequencePool(['short', 'long', 'none'])
    const affinity = (item: string) => ({ short: 3, long: 40, none: 0 })[item] ?? 0
    expect((await pool.lease({ agentKey: 'carol', affinity })).item).toBe('long')
  })

  it('evicts the least recently used agent when every sequence is owned', async () => {
    const pool = new SequencePool(['s0', 's1'])
    const a = await pool.lease({ agentKey: 'a' })
    const b = await pool.lease({ agentKey: 'b' })
    b.release()
    a.release() // a is now the most recent; b the least recent
    const c = await pool.lease({ agentKey: 'c' })
    expect(c.item).toBe(b.item)
    expect(c.evictedAgent).toBe('b')
    expect(pool.ownerOf(c.item)).toBe('c')
    expect(pool.ownerOf(a.item)).toBe('a')
  })

  it('queues requests when all sequences are busy and serves them first come, first served', async () => {
    const pool = new SequencePool(['only'])
    const first = await pool.lease()
    const order: string[] = []
    const second = pool.lease().then((lease) => (order.push('second'), lease))
    const third = pool.lease().then((lease) => (order.push('third'), lease))
    expect(pool.waitingCount).toBe(2)
    first.release()
    ;(await second).release()
    await third
    expect(order).toEqual(['second', 'third'])
  })

  it('a waiting request that is aborted leaves the queue at once with BackendError aborted', async () => {
    const pool = new SequencePool(['only'])
    const busy = await pool.lease()
    const controller = new AbortController()
    const waiting = pool.lease({ signal: controller.signal })
    controller.abort()
    await expect(waiting).rejects.toMatchObject({ name: 'BackendError', code: 'aborted' })
    expect(pool.waitingCount).toBe(0)
    busy.release()
    expect(pool.busyCount).toBe(0)
  })

  it('releasing twice is harmless', async () => {
    const pool = new SequencePool(['only'])
    const lease = await pool.lease()
    lease.release()
    const next = await pool.lease()
    lease.release()
    expect(pool.busyCount).toBe(1)
    next.release()
  })

  it('releaseAgent turns the agent\'s sequence into an ordinary free one', async () => {
    const pool = new SequencePool(['s0'])
    ;(await pool.lease({ agentKey: 'a' })).release()
    pool.releaseAgent('a')
    const lease = await pool.lease({ agentKey: 'b' })
    expect(lease.evictedAgent).toBeNull()
  })

  it('close rejects waiting and later requests with the given error', async () => {
    const pool = new SequencePool(['only'])
    await pool.lease()
    const waiting = pool.lease()
    const error = new BackendError('disposed', 'gone')
    pool.close(error)
    await expect(waiting).rejects.toBe(error)
    await expect(pool.lease()).rejects.toBe(error)
  })
})
