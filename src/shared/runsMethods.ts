import { ApiError } from './apiError.js'
import type { AppContract } from './appContract.js'
import type { Implementation } from './contract.js'
import type { RunRegistry, RunHandlePort } from './runRegistry.js'
import { runCounts } from './runRegistry.js'
import type { RunDiscussionLive } from './runsContract.js'
import { withEngineErrors } from './engineErrors.js'

/** An inactive run's discussions, as its plans and journal record them. */
export interface JournalRunStatus {
  discussions: { id: string; state: 'queued' | 'finished' | 'failed' | 'cancelled' | 'interrupted'; steps: number; comments: number; reason: string | null }[]
  problems: string[]
}

/** The engines behind the runs methods; core's `createRunsPorts` builds them for a host. */
export interface RunsEnginePorts {
  hasWorkspace(): boolean
  hasBackend(): boolean
  /** Turns an engine's error into a typed one (no such run, bad fork…); null: not one it knows. */
  describeError(error: unknown): { code: 'invalid-input' | 'not-found'; message: string } | null
  /** Reopens a run from its plans and journal (core's `resumeRun`), not yet started. */
  resumeRun(runId: string, concurrency: number, includeCancelled: boolean): Promise<RunHandlePort>
  /** A new run of one forked discussion (core's `forkDiscussion`), not yet started. */
  forkRun(discussionId: string, atComment: number, overrides: Record<string, unknown>): Promise<RunHandlePort>
  /** A run's state from its files, for a run this host is not generating. */
  journalStatus(runId: string): Promise<JournalRunStatus>
}

export interface RunsMethodsPorts extends RunsEnginePorts {
  /** The host's one registry of active runs (shared with `createStudioMethods`). */
  runs: RunRegistry
  /** Why runs cannot start on this host (no model loaded). */
  readonly noBackendMessage: string
}

export type RunsMethods = Pick<Implementation<AppContract>, 'runs.resumeInterrupted' | 'runs.fork' | 'runs.status'>

const NO_WORKSPACE = 'No workspace is open. Open or create one first.'

/** `runs.resumeInterrupted`, `runs.fork` and `runs.status`, written once for both hosts. */
export function createRunsMethods(ports: RunsMethodsPorts): RunsMethods {
  async function guarded<T>(work: () => Promise<T>): Promise<T> {
    if (!ports.hasWorkspace()) throw new ApiError('no-workspace', NO_WORKSPACE)
    return withEngineErrors((error) => ports.describeError(error), work)
  }

  function needBackend(): void {
    if (!ports.hasBackend()) throw new ApiError('unavailable', ports.noBackendMessage)
  }

  return {
    'runs.resumeInterrupted': ({ runId, concurrency, includeCancelled }) =>
      guarded(async () => {
        needBackend()
        if (ports.runs.has(runId)) throw new ApiError('invalid-input', `Run "${runId}" is still running on this host; there is nothing to resume.`)
        return ports.runs.launch(await ports.resumeRun(runId, concurrency, includeCancelled))
      }),
    'runs.fork': ({ discussionId, atComment, overrides }) =>
      guarded(async () => {
        needBackend()
        return ports.runs.launch(await ports.forkRun(discussionId, atComment, overrides))
      }),
    'runs.status': ({ runId }) =>
      guarded(async () => {
        const live = ports.runs.status(runId)
        if (live !== null) {
          const discussions = live.discussions.map((item) => ({ ...item, state: item.state as RunDiscussionLive['state'] }))
          return { runId, active: true, counts: live.counts, discussions, tokensPerSecond: live.tokensPerSecond, events: live.events, problems: [] }
        }
        const stored = await ports.journalStatus(runId)
        const discussions = stored.discussions.map((item) => ({
          ...item,
          currentStep: null,
          speaker: null,
          streamedPieces: 0,
          tokensPerSecond: null
        }))
        return { runId, active: false, counts: runCounts(discussions), discussions, tokensPerSecond: 0, events: null, problems: stored.problems }
      })
  }
}
