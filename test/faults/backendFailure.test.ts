import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  BackendError,
  createLlamaCppBackend,
  createRun,
  readRunJournal,
  resumeRun,
  workspaceRunLocation,
  type GenerateCallbacks,
  type GenerationRequest,
  type GenerationResult,
  type InferenceBackend,
  type LlamaCppBackend
} from '../../src/core/index.js'
import { loadTestLlama, TEST_THREADS, tinyModelPath } from '../helpers/testModel.js'
import { CONTEXT_SIZE, faultWorkspace, journalRecords } from './faultSupport.js'

// The tiny model generates for real; a wrapper makes the backend fail the way a lost GPU or a
// crashed driver does: after some tokens of a reply have streamed, the call throws.

const GPU_LOST = 'injected fault: CUDA error 999 (device lost) during generation'

class FailingBackend implements InferenceBackend {
  readonly kind = 'llama.cpp' as const
  calls = 0
  failures = 0
  constructor(
    private readonly inner: InferenceBackend,
    private readonly failsOn: (request: GenerationRequest, call: number) => boolean
  ) {}

  get modelName(): string {
    return this.inner.modelName
  }

  async generate(request: GenerationRequest, callbacks: GenerateCallbacks = {}): Promise<GenerationResult> {
    const call = this.calls++
    if (!this.failsOn(request, call)) return this.inner.generate(request, callbacks)
    // Let two pieces reach the caller, then stop the real generation and fail.
    const stop = new AbortController()
    callbacks.signal?.addEventListener('abort', () => stop.abort())
    let pieces = 0
    await this.inner.generate(request, {
      signal: stop.signal,
      onTokens: (text) => {
        callbacks.onTokens?.(text)
        if (++pieces === 2) stop.abort()
      }
    })
    this.failures += 1
    throw new BackendError('gpu-unavailable', GPU_LOST)
  }

  releaseAgent(agentKey: string): void {
    this.inner.releaseAgent?.(agentKey)
  }

  async dispose(): Promise<void> {}
}

let model: LlamaCppBackend
beforeAll(async () => {
  model = await createLlamaCppBackend({ modelPath: await tinyModelPath(), llama: await loadTestLlama(), threads: TEST_THREADS, contextSize: CONTEXT_SIZE, sequences: 8 })
})
afterAll(async () => model?.dispose())

describe('a backend that fails mid-generation (tiny model)', () => {
  it('marks that discussion failed with the reason and code, the others finish, and a resume completes it from its journaled steps', async () => {
    const { workspace, plans } = await faultWorkspace(2)
    const broken = plans[3]!.id
    let brokenCalls = 0
    const failing = new FailingBackend(model, (request) => request.agentKey?.startsWith(`${broken}/`) === true && ++brokenCalls === 3)
    const run = await createRun({ location: workspaceRunLocation(workspace, 'gpu'), plans, backend: failing, concurrency: 2, provenance: { seed: 7 } })
    const states: string[] = []
    run.subscribe((event) => {
      if (event.type === 'discussion-state' && event.discussion_id === broken) states.push(event.state)
    })
    const result = await run.start()
    expect(failing.failures).toBe(1)
    expect(result.failed).toEqual([{ id: broken, reason: GPU_LOST }])
    expect(result.finished.map((entry) => entry.id).sort()).toEqual(plans.map((plan) => plan.id).filter((id) => id !== broken).sort())
    expect(states.at(-1)).toBe('failed')
    expect(await workspace.discussions.has(broken)).toBe(false)
    const journalPath = workspace.resolve('runs', 'gpu', 'journal.jsonl')
    const records = await journalRecords(journalPath)
    expect(records.find((record) => record.type === 'discussion-failed')).toMatchObject({ discussion_id: broken, reason: GPU_LOST, code: 'gpu-unavailable' })
    const journaledBefore = (await readRunJournal(journalPath)).discussions.get(broken)!.steps.length
    expect(journaledBefore).toBe(2) // the two calls before the failing one

    const healthy = new FailingBackend(model, () => false)
    const again = await resumeRun(workspace, 'gpu', healthy, { concurrency: 2 })
    const second = await again.start()
    expect(second.failed).toEqual([])
    expect(second.finished).toHaveLength(plans.length)
    const journal = await readRunJournal(journalPath)
    // Only the failed discussion ran again, and its first two steps were replayed, not regenerated.
    expect(healthy.calls).toBe(journal.discussions.get(broken)!.steps.length - journaledBefore)
    expect((await workspace.discussions.get(broken))?.status).toBe('complete')
  })

  it('a backend lost for good fails every remaining discussion with the reason, the run still ends, and resume finishes all', async () => {
    const { workspace, plans } = await faultWorkspace(2)
    const lost = new FailingBackend(model, (_request, call) => call >= 5)
    const run = await createRun({ location: workspaceRunLocation(workspace, 'lost'), plans, backend: lost, concurrency: 2, provenance: { seed: 7 } })
    const result = await run.start()
    expect(result.finished.length + result.failed.length).toBe(plans.length)
    expect(result.failed.length).toBeGreaterThanOrEqual(plans.length - 2)
    for (const failure of result.failed) expect(failure.reason).toBe(GPU_LOST)
    const resumed = await resumeRun(workspace, 'lost', new FailingBackend(model, () => false), { concurrency: 2 })
    const second = await resumed.start()
    expect(second.finished).toHaveLength(plans.length)
    console.info(`[faults] backend lost after 5 calls: ${result.failed.length} of ${plans.length} failed with the reason, all finished after resume`)
  })
})
