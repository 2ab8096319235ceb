import { DEMO_MODEL_NOTICE } from '../demo/demoModel.js'
import { analyseDemo, annotateDemo, prepareDemo, type DemoAnalysis } from '../demo/runDemo.js'
import type { Workspace } from '../workspace/workspace.js'
import { ModelsPortError } from './modelsPorts.js'
import { ModelSlotError, type ModelSlot } from './modelSlot.js'

export type DemoState = 'idle' | 'running' | 'annotating' | 'analysing' | 'done' | 'failed'

/** Where the one-click demo stands, for `demo.status`. */
export interface DemoStatusPort {
  state: DemoState
  runId: string | null
  designId: string | null
  discussionIds: string[]
  /** What it is doing, or why it failed. */
  message: string
  notice: string
  analysis: {
    label: string
    condition: string
    files: string[]
    annotatedComments: number
    byTurn: DemoAnalysis['byTurn']['rows']
    lengths: DemoAnalysis['lengths']['rows']
  } | null
}

export interface DemoPortsOptions {
  workspace(): Workspace | null
  modelsFolder(): string | null
  slot: ModelSlot
  /** Starts a run of a saved design through the host's run registry (`runs.start`), so it streams like any run. */
  startRun(designId: string, concurrency: number): Promise<{ runId: string; discussionIds: string[] }>
  /** Told when the demo wrote discussions and annotations. */
  changed?(): void
}

/**
 * The one-click demo for a host: makes and loads the demo model (in place of an idle model),
 * saves the demo design, starts it as an ordinary run (so `run.events` and `stream.tokens` show
 * it live), then annotates the finished discussions and writes the chart-ready analysis.
 */
export function createDemoPorts(options: DemoPortsOptions) {
  let status: DemoStatusPort = idle()

  function idle(): DemoStatusPort {
    return { state: 'idle', runId: null, designId: null, discussionIds: [], message: 'The demo has not been started.', notice: DEMO_MODEL_NOTICE, analysis: null }
  }

  async function finish(runId: string, workspace: Workspace): Promise<void> {
    await options.slot.whenRunEnds(runId)
    const discussionIds: string[] = []
    for (const id of status.discussionIds) if (await workspace.discussions.has(id)) discussionIds.push(id)
    const lease = options.slot.lease()
    if (lease === null) throw new Error('the demo model was unloaded before the demo could annotate')
    try {
      status = { ...status, state: 'annotating', message: `Annotating ${discussionIds.length} discussions with the starter toxicity annotator…` }
      const job = await annotateDemo(workspace, lease.backend, discussionIds, {
        onProgress: (done, total) => {
          status = { ...status, message: `Annotated ${done} of ${total} discussions…` }
        }
      })
      status = { ...status, state: 'analysing', message: 'Computing the analysis…' }
      const analysis = await analyseDemo(workspace, discussionIds)
      const failed = job.failed.length > 0 ? ` (${job.failed.length} could not be annotated)` : ''
      status = {
        ...status,
        state: 'done',
        message: `Done: ${discussionIds.length} discussions, ${analysis.annotatedComments} comments annotated${failed}. Results in ${analysis.files.join(' and ')}.`,
        analysis: {
          label: analysis.label,
          condition: analysis.condition,
          files: analysis.files,
          annotatedComments: analysis.annotatedComments,
          byTurn: analysis.byTurn.rows,
          lengths: analysis.lengths.rows
        }
      }
      options.changed?.()
    } finally {
      lease.release()
    }
  }

  return {
    hasWorkspace: () => options.workspace() !== null,

    describeError(error: unknown): { code: 'invalid-input' | 'not-found' | 'unavailable'; message: string } | null {
      if (error instanceof ModelsPortError) return { code: error.code, message: error.message }
      if (error instanceof ModelSlotError) return { code: error.code === 'busy' ? 'unavailable' : 'invalid-input', message: error.message }
      return null
    },

    status: (): DemoStatusPort => ({ ...status, discussionIds: [...status.discussionIds] }),

    async start(concurrency: number): Promise<{ runId: string; designId: string; discussionIds: string[]; modelFileName: string; replacedModel: string | null; notice: string }> {
      const workspace = options.workspace()
      if (workspace === null) throw new Error('no workspace is open')
      if (status.state === 'running' || status.state === 'annotating' || status.state === 'analysing') {
        throw new ModelsPortError('unavailable', `The demo is already under way (${status.message}); wait for it to finish.`)
      }
      const folder = options.modelsFolder()
      if (folder === null) throw new ModelsPortError('unavailable', 'This host has no models folder yet. Choose one first (Models → Choose folder).')
      const prepared = await prepareDemo(workspace, folder)
      const loaded = options.slot.status()
      let replacedModel: string | null = null
      if (loaded === null || !loaded.isDemo) {
        if (loaded !== null && options.slot.inUse()) {
          throw new ModelsPortError(
            'unavailable',
            `The demo needs the demo model, but ${loaded.fileName} is loaded and in use by a run. Wait until the run ends, or cancel it, then start the demo.`
          )
        }
        replacedModel = loaded?.fileName ?? null
        await options.slot.load({ path: prepared.modelPath, contextSize: 1024 })
      }
      const started = await options.startRun(prepared.design.id, concurrency)
      status = {
        state: 'running',
        runId: started.runId,
        designId: prepared.design.id,
        discussionIds: started.discussionIds,
        message: `Running ${started.discussionIds.length} discussions on the demo model…`,
        notice: DEMO_MODEL_NOTICE,
        analysis: null
      }
      const runId = started.runId
      void finish(runId, workspace).catch((error: unknown) => {
        if (status.runId !== runId) return
        status = { ...status, state: 'failed', message: `The demo failed: ${error instanceof Error ? error.message : String(error)}` }
      })
      return {
        runId,
        designId: prepared.design.id,
        discussionIds: started.discussionIds,
        modelFileName: prepared.modelFileName,
        replacedModel,
        notice: DEMO_MODEL_NOTICE
      }
    }
  }
}

export type DemoPorts = ReturnType<typeof createDemoPorts>
