import { ApiError, describeIssues, issueDetails } from './apiError.js'
import type { AppContract } from './appContract.js'
import type { WorkspaceChanged } from './appEvents.js'
import type { Implementation } from './contract.js'
import {
  AppSettingsSchema,
  type AppSettings,
  type RunCounts,
  type RunEventPayload,
  runStreamId
} from './studioContract.js'

/** What a run tells the methods: a structural subset of core's `RunEvent`. */
export type RunEventPort =
  | {
      type: 'discussion'
      run_id: string
      event: { type: string; discussion_id: string; text?: string; step?: unknown; comment?: object }
    }
  | { type: 'discussion-state'; run_id: string; discussion_id: string; state: string; reason: string | null }
  | { type: 'run-finished'; run_id: string }

/** A started run, as core's `DiscussionRun` offers it. */
export interface RunHandlePort {
  readonly runId: string
  subscribe(listener: (event: RunEventPort) => void): () => void
  status(): readonly { id: string; state: string }[]
  start(): Promise<unknown>
  pause(discussionId?: string): void
  resume(discussionId?: string): void
  cancel(discussionId?: string): void
}

type Output<M extends keyof AppContract> = Awaited<ReturnType<Implementation<AppContract>[M]>>

/** The engines behind the methods; core's `createStudioPorts` builds them for a host. */
export interface StudioEnginePorts {
  hasWorkspace(): boolean
  /** Turns an engine's error into a typed one (bad design, missing record…); null: not one it knows. */
  describeError(error: unknown): { code: 'invalid-input' | 'not-found'; message: string } | null
  previewDesign(
    design: object,
    rates: { tokensPerSecond: number; promptTokensPerSecond: number },
    limit: number
  ): Promise<Omit<Output<'designs.preview'>, 'rates'>>
  annotations(discussionId: string): Promise<Output<'annotations.list'>>
  agreement(label: string, metric: string, level: string): Promise<Output<'agreement.compute'>>
  listModels(folder: string): Promise<Output<'models.list'>['models']>
  hardware(): Promise<Output<'hardware.info'>>
  listRuns(): Promise<Omit<Output<'runs.list'>['runs'][number], 'active'>[]>
  /** Whether the host has a model to run on. */
  hasBackend(): boolean
  /** Creates a run of a saved design (not yet started). */
  createRun(designId: string, concurrency: number): Promise<RunHandlePort>
  /** The stored settings file's contents, or undefined when there is none. */
  readSettings(): Promise<unknown>
  writeSettings(settings: AppSettings): Promise<void>
}

export interface StudioMethodsPorts extends StudioEnginePorts {
  /** The models folder: `sdf serve --models DIR`, or the one chosen on the desktop; null when none. */
  modelsFolder(): string | null
  /** Why `runs.start` cannot run on this host (no model loaded). */
  readonly noBackendMessage: string
  /** Where tokens go (the host's `StreamHub`). */
  streams: { append(stream: string, ...tokens: string[]): unknown; end(stream: string): void }
  /** Publishes `run.events`. */
  runEvent(event: RunEventPayload): void
  changed?(event: WorkspaceChanged): void
}

export type StudioMethods = Pick<
  Implementation<AppContract>,
  | 'designs.preview'
  | 'annotations.list'
  | 'agreement.compute'
  | 'models.list'
  | 'hardware.info'
  | 'runs.list'
  | 'runs.start'
  | 'runs.pause'
  | 'runs.resume'
  | 'runs.cancel'
  | 'settings.get'
  | 'settings.put'
>

export const DEFAULT_TOKENS_PER_SECOND = 20
export const DEFAULT_PROMPT_TOKENS_PER_SECOND = 200

const NO_WORKSPACE = 'No workspace is open. Open or create one first.'

export function runCounts(status: readonly { state: string }[]): RunCounts {
  const count = (state: string) => status.filter((entry) => entry.state === state).length
  const finished = count('finished')
  const failed = count('failed')
  const cancelled = count('cancelled')
  return { total: status.length, finished, failed, cancelled, pending: status.length - finished - failed - cancelled }
}

/**
 * The contract's methods over core's engines (designs, annotations, agreement, models, runs,
 * settings), written once for both hosts; the engines come in as ports (`createStudioPorts` in
 * core), and the host adds only its models folder, its stream hub and its event publishers.
 */
export function createStudioMethods(ports: StudioMethodsPorts): StudioMethods {
  const active = new Map<string, RunHandlePort>()

  function needWorkspace(): void {
    if (!ports.hasWorkspace()) throw new ApiError('no-workspace', NO_WORKSPACE)
  }

  async function guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      if (error instanceof ApiError) throw error
      const known = ports.describeError(error)
      if (known !== null) throw new ApiError(known.code, known.message)
      throw error
    }
  }

  function runOf(runId: string): RunHandlePort {
    const run = active.get(runId)
    if (run === undefined) throw new ApiError('not-found', `Run "${runId}" is not running on this host.`)
    return run
  }

  function control(action: 'pause' | 'resume' | 'cancel') {
    return ({ runId, discussionId }: { runId: string; discussionId?: string | undefined }) => {
      const run = runOf(runId)
      if (discussionId !== undefined && !run.status().some((entry) => entry.id === discussionId)) {
        throw new ApiError('not-found', `Discussion "${discussionId}" is not part of run "${runId}".`)
      }
      run[action](discussionId)
      return { ok: true as const }
    }
  }

  function forward(run: RunHandlePort): () => void {
    const wasPaused = new Set<string>()
    const publish = (payload: Omit<RunEventPayload, 'runId' | 'progress' | 'step' | 'comment' | 'reason'> & Partial<RunEventPayload>) =>
      ports.runEvent({
        runId: run.runId,
        step: null,
        comment: null,
        reason: null,
        progress: runCounts(run.status()),
        ...payload
      })
    return run.subscribe((event) => {
      if (event.type === 'run-finished') {
        publish({ kind: 'run-finished', discussionId: null })
        return
      }
      if (event.type === 'discussion-state') {
        const discussionId = event.discussion_id
        const stream = runStreamId(run.runId, discussionId)
        switch (event.state) {
          case 'running':
            publish({ kind: wasPaused.delete(discussionId) ? 'discussion-resumed' : 'discussion-started', discussionId })
            break
          case 'paused':
            wasPaused.add(discussionId)
            publish({ kind: 'discussion-paused', discussionId })
            break
          case 'finished':
          case 'failed':
          case 'cancelled':
            ports.streams.end(stream)
            publish({ kind: `discussion-${event.state}`, discussionId, reason: event.reason })
            if (event.state === 'finished') ports.changed?.({ kinds: ['discussion'] })
            break
        }
        return
      }
      const inner = event.event
      const discussionId = inner.discussion_id
      switch (inner.type) {
        case 'tokens':
          if (inner.text !== undefined && inner.text !== '') ports.streams.append(runStreamId(run.runId, discussionId), inner.text)
          break
        case 'turn-started':
          publish({ kind: 'turn-started', discussionId, step: typeof inner.step === 'number' ? inner.step : null })
          break
        case 'step': {
          const step = inner.step as { step?: unknown } | undefined
          publish({ kind: 'step', discussionId, step: typeof step?.step === 'number' ? step.step : null })
          break
        }
        case 'comment':
          publish({ kind: 'comment', discussionId, comment: (inner.comment ?? null) as Record<string, unknown> | null })
          break
      }
    })
  }

  return {
    'designs.preview': ({ design, tokensPerSecond, promptTokensPerSecond, limit }) =>
      guarded(async () => {
        needWorkspace()
        const rates = {
          tokensPerSecond: tokensPerSecond ?? DEFAULT_TOKENS_PER_SECOND,
          promptTokensPerSecond: promptTokensPerSecond ?? DEFAULT_PROMPT_TOKENS_PER_SECOND
        }
        return { ...(await ports.previewDesign(design, rates, limit)), rates }
      }),
    'annotations.list': ({ discussionId }) =>
      guarded(async () => {
        needWorkspace()
        return ports.annotations(discussionId)
      }),
    'agreement.compute': ({ label, metric, level }) =>
      guarded(async () => {
        needWorkspace()
        const result = await ports.agreement(label, metric, level)
        if (!Number.isFinite(result.value)) {
          throw new ApiError(
            'not-computable',
            result.units === 0
              ? `No comment has two annotators' values for "${label}", so ${metric} cannot be computed.`
              : `${metric} is undefined for "${label}" here: every annotator gave the same value, so there is no variation to agree on.`
          )
        }
        return result
      }),
    'models.list': () =>
      guarded(async () => {
        const folder = ports.modelsFolder()
        if (folder === null) return { folder: null, models: [] }
        return { folder, models: await ports.listModels(folder) }
      }),
    'hardware.info': () => guarded(() => ports.hardware()),
    'runs.list': () =>
      guarded(async () => {
        needWorkspace()
        const runs = await ports.listRuns()
        return { runs: runs.map((run) => ({ ...run, active: active.has(run.id) })) }
      }),
    'runs.start': ({ designId, concurrency }) =>
      guarded(async () => {
        needWorkspace()
        if (!ports.hasBackend()) throw new ApiError('unavailable', ports.noBackendMessage)
        const run = await ports.createRun(designId, concurrency)
        active.set(run.runId, run)
        const stop = forward(run)
        void run
          .start()
          .catch(() => undefined)
          .finally(() => {
            stop()
            active.delete(run.runId)
          })
        return { runId: run.runId, discussionIds: run.status().map((entry) => entry.id) }
      }),
    'runs.pause': control('pause'),
    'runs.resume': control('resume'),
    'runs.cancel': control('cancel'),
    'settings.get': () =>
      guarded(async () => {
        needWorkspace()
        const stored = await ports.readSettings()
        const parsed = AppSettingsSchema.safeParse(stored ?? {})
        // A hand-edited file that no longer parses falls back to the defaults rather than locking the UI out.
        return parsed.success ? parsed.data : AppSettingsSchema.parse({})
      }),
    'settings.put': ({ settings }) =>
      guarded(async () => {
        needWorkspace()
        const parsed = AppSettingsSchema.safeParse(settings)
        if (!parsed.success) {
          throw new ApiError('invalid-input', `These settings are not valid: ${describeIssues(parsed.error)}`, issueDetails(parsed.error))
        }
        await ports.writeSettings(parsed.data)
        return parsed.data
      })
  }
}
