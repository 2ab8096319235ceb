import { describe, expect, it } from 'vitest'
import { Workspace } from '../../../src/core/index.js'
import { createDesktopImplementation } from '../../../src/main/desktopImplementation.js'
import { WORKER_METHODS, type WorkerContext, type WorkerMethod } from '../../../src/main/inference/workerProtocol.js'
import { appContract, type AppContract, type Implementation } from '../../../src/shared/index.js'
import { tempDir } from '../../helpers/tempDir.js'

/** Stands in for the inference worker: records which method was called, with what context. */
function fakeWorker() {
  const calls: { method: WorkerMethod; context: WorkerContext }[] = []
  return {
    calls,
    methods: (context: () => WorkerContext) =>
      Object.fromEntries(
        WORKER_METHODS.map((method) => [
          method,
          () => {
            calls.push({ method, context: context() })
            return 'from the worker'
          }
        ])
      ) as unknown as Pick<Implementation<AppContract>, WorkerMethod>
  }
}

describe('the desktop host with the inference worker', () => {
  it('serves only contract methods from the worker, and every one that touches the model', () => {
    for (const method of WORKER_METHODS) expect(Object.keys(appContract)).toContain(method)
    expect(WORKER_METHODS).toEqual(
      expect.arrayContaining(['models.load', 'models.unload', 'models.status', 'runs.start', 'runs.list', 'annotations.startJob', 'annotations.cancelJob', 'demo.start'])
    )
  })

  it('sends the model methods to the worker with the workspace and models folder chosen in its dialogs, and keeps the rest in main', async () => {
    const first = await Workspace.create(await tempDir())
    const second = await Workspace.create(await tempDir())
    const worker = fakeWorker()
    const { implementation } = createDesktopImplementation({
      version: '0.1.0',
      platform: 'linux',
      workspace: first,
      chooseFolder: async (purpose) => (purpose === 'models' ? '/models' : second.root),
      changed: () => undefined,
      inference: worker
    })
    for (const method of WORKER_METHODS) {
      expect(await (implementation[method] as (input: unknown) => unknown)({})).toBe('from the worker')
    }
    expect(worker.calls.map((call) => call.method)).toEqual([...WORKER_METHODS])
    expect(worker.calls[0]!.context).toEqual({ workspacePath: first.root, modelsFolder: null })

    await implementation['models.chooseFolder']({})
    await implementation['workspace.open']({})
    await implementation['models.status']({})
    expect(worker.calls.at(-1)!.context).toEqual({ workspacePath: second.root, modelsFolder: '/models' })
    // Workspace records stay in main: the worker is not asked.
    const before = worker.calls.length
    await implementation['workspace.summary']({})
    await implementation['models.list']({})
    expect(worker.calls).toHaveLength(before)
  })
})
