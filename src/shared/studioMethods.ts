import { ApiError, describeIssues, issueDetails } from './apiError.js'
import type { AppContract } from './appContract.js'
import type { WorkspaceChanged } from './appEvents.js'
import type { Implementation } from './contract.js'
import { RunRegistry, type RunHandlePort } from './runRegistry.js'
import { AppSettingsSchema, type AppSettings, type RunEventPayload } from './studioContract.js'
import { withEngineErrors } from './engineErrors.js'

export type { RunEventPort, RunHandlePort } from './runRegistry.js'
export { runCounts } from './runRegistry.js'

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
  /** The host's one registry of active runs, shared with the runs methods; made from the ports above when not given. */
  runs?: RunRegistry
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

/**
 * The contract's methods over core's engines (designs, annotations, agreement, models, runs,
 * settings), written once for both hosts; the engines come in as ports (`createStudioPorts` in
 * core), and the host adds only its models folder, its stream hub and its event publishers.
 */
export function createStudioMethods(ports: StudioMethodsPorts): StudioMethods {
  const registry = ports.runs ?? new RunRegistry(ports)

  function needWorkspace(): void {
    if (!ports.hasWorkspace()) throw new ApiError('no-workspace', NO_WORKSPACE)
  }

  const guarded = <T>(work: () => Promise<T>): Promise<T> => withEngineErrors((error) => ports.describeError(error), work)

  function control(action: 'pause' | 'resume' | 'cancel') {
    return ({ runId, discussionId }: { runId: string; discussionId?: string | undefined }) => registry.control(action, runId, discussionId)
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
        return { runs: runs.map((run) => ({ ...run, active: registry.has(run.id) })) }
      }),
    'runs.start': ({ designId, concurrency }) =>
      guarded(async () => {
        needWorkspace()
        if (!ports.hasBackend()) throw new ApiError('unavailable', ports.noBackendMessage)
        return registry.launch(await ports.createRun(designId, concurrency))
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
