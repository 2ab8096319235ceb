import { describe, expect, it } from 'vitest'
import {
  appContract,
  createHandlerTable,
  createStudioMethods,
  StreamHub,
  StreamReader,
  type RunEventPayload,
  type RunEventPort,
  type StudioMethodsPorts
} from '../../../src/shared/index.js'
import { fakeImplementation } from './appFakes.js'

/** A run that does what the test tells it, as core's DiscussionRun would. */
class FakeRun {
  readonly runId = 'pilot-run'
  readonly calls: string[] = []
  private readonly listeners = new Set<(event: RunEventPort) => void>()
  private states = new Map([['d1', 'queued']])
  private done: (() => void) | null = null
  subscribe(listener: (event: RunEventPort) => void) {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
  status() {
    return [...this.states].map(([id, state]) => ({ id, state }))
  }
  start() {
    return new Promise<void>((resolve) => (this.done = resolve))
  }
  pause(id?: string) {
    this.calls.push(`pause ${id ?? 'all'}`)
  }
  resume(id?: string) {
    this.calls.push(`resume ${id ?? 'all'}`)
  }
  cancel(id?: string) {
    this.calls.push(`cancel ${id ?? 'all'}`)
  }
  emit(event: RunEventPort) {
    if (event.type === 'discussion-state') this.states.set(event.discussion_id, event.state)
    for (const listener of this.listeners) listener(event)
  }
  finish() {
    this.emit({ type: 'run-finished', run_id: this.runId })
    this.done?.()
  }
}

function setUp(options: { backend?: boolean; value?: number } = {}) {
  const run = new FakeRun()
  const streams = new StreamHub({ windowMs: 1 })
  const events: RunEventPayload[] = []
  const ports: StudioMethodsPorts = {
    hasWorkspace: () => true,
    describeError: () => null,
    previewDesign: async () => {
      throw new Error('not used')
    },
    annotations: async () => ({ items: [], problems: [] }),
    agreement: async () => ({ value: options.value ?? Number.NaN, units: 3, annotators: ['a', 'b'] }),
    listModels: async () => [],
    hardware: async () => ({
      gpu: false,
      gpuDevices: [],
      vram: { totalBytes: 0, usedBytes: 0, freeBytes: 0 },
      ram: { totalBytes: 8, freeBytes: 4 },
      cpuCores: 2,
      cpuMathCores: 2,
      buildType: 'prebuilt'
    }),
    listRuns: async () => [{ id: 'pilot-run', manifest: null, counts: { total: 1, finished: 0, failed: 0, cancelled: 0, pending: 1 }, problems: [] }],
    hasBackend: () => options.backend ?? true,
    createRun: async () => run,
    readSettings: async () => undefined,
    writeSettings: async () => undefined,
    modelsFolder: () => null,
    noBackendMessage: 'Start sdf serve --model FILE.',
    streams,
    runEvent: (event) => events.push(event)
  }
  const table = createHandlerTable(appContract, fakeImplementation(createStudioMethods(ports)))
  return { table, run, streams, events }
}

describe('the studio methods', () => {
  it('starts a run, forwards its events to run.events and its tokens to the stream hub, and controls it', async () => {
    const { table, run, streams, events } = setUp()
    const reader = new StreamReader()
    await streams.subscribe(({ batches }) => reader.apply(batches))
    expect(await table['runs.start']({ designId: 'pilot', concurrency: 1 })).toEqual({ runId: 'pilot-run', discussionIds: ['d1'] })
    expect((await table['runs.list']({})).runs[0]?.active).toBe(true)

    run.emit({ type: 'discussion-state', run_id: run.runId, discussion_id: 'd1', state: 'running', reason: null })
    run.emit({ type: 'discussion', run_id: run.runId, event: { type: 'tokens', discussion_id: 'd1', text: 'Hel' } })
    run.emit({ type: 'discussion', run_id: run.runId, event: { type: 'tokens', discussion_id: 'd1', text: 'lo' } })
    run.emit({ type: 'discussion', run_id: run.runId, event: { type: 'step', discussion_id: 'd1', step: { step: 0 } } })
    run.emit({ type: 'discussion', run_id: run.runId, event: { type: 'comment', discussion_id: 'd1', comment: { index: 0, text: 'Hello' } } })
    await table['runs.pause']({ runId: 'pilot-run', discussionId: 'd1' })
    await table['runs.resume']({ runId: 'pilot-run' })
    await table['runs.cancel']({ runId: 'pilot-run' })
    await expect(table['runs.pause']({ runId: 'pilot-run', discussionId: 'd9' })).rejects.toMatchObject({ code: 'not-found' })
    expect(run.calls).toEqual(['pause d1', 'resume all', 'cancel all'])
    run.emit({ type: 'discussion-state', run_id: run.runId, discussion_id: 'd1', state: 'finished', reason: null })
    run.finish()
    await new Promise((resolve) => setTimeout(resolve, 20))

    expect(events.map((event) => event.kind)).toEqual(['discussion-started', 'step', 'comment', 'discussion-finished', 'run-finished'])
    expect(events[1]?.step).toBe(0)
    expect(events.at(-1)?.progress).toEqual({ total: 1, finished: 1, failed: 0, cancelled: 0, pending: 0 })
    expect(reader.get('pilot-run/d1')).toMatchObject({ text: 'Hello', done: true })
    expect((await table['runs.list']({})).runs[0]?.active).toBe(false)
  })

  it('answers unavailable without a model, not-computable for undefined agreement, and hardware as parsed', async () => {
    const { table } = setUp({ backend: false })
    await expect(table['runs.start']({ designId: 'pilot' })).rejects.toMatchObject({ code: 'unavailable', message: 'Start sdf serve --model FILE.' })
    await expect(table['agreement.compute']({ label: 'toxicity' })).rejects.toMatchObject({ code: 'not-computable' })
    expect((await table['hardware.info']({})).cpuCores).toBe(2)
    expect(await table['models.list']({})).toEqual({ folder: null, models: [] })
    expect(await table['settings.get']({})).toEqual({ defaultModel: null, concurrency: 1, theme: 'system' })
    expect(await setUp({ value: 0.5 }).table['agreement.compute']({ label: 'toxicity' })).toEqual({ value: 0.5, units: 3, annotators: ['a', 'b'] })
  })
})
