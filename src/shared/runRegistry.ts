import { ApiError } from './apiError.js'
import type { WorkspaceChanged } from './appEvents.js'
import { runStreamId, type RunCounts, type RunEventPayload } from './studioContract.js'

/** What a run tells the methods: a structural subset of core's `RunEvent`. */
export type RunEventPort =
  | {
      type: 'discussion'
      run_id: string
      event: { type: string; discussion_id: string; text?: string; step?: unknown; comment?: object; replayed?: boolean }
    }
  | { type: 'discussion-state'; run_id: string; discussion_id: string; state: string; reason: string | null }
  | { type: 'run-finished'; run_id: string }

/** A started run, as core's `DiscussionRun` offers it. */
export interface RunHandlePort {
  readonly runId: string
  subscribe(listener: (event: RunEventPort) => void): () => void
  status(): readonly { id: string; state: string; steps?: number; comments?: number }[]
  start(): Promise<unknown>
  pause(discussionId?: string): void
  resume(discussionId?: string): void
  cancel(discussionId?: string): void
}

export interface RunRegistryPorts {
  /** Where tokens go (the host's `StreamHub`). */
  streams: { append(stream: string, ...tokens: string[]): unknown; end(stream: string): void }
  /** Publishes `run.events`. */
  runEvent(event: RunEventPayload): void
  changed?(event: WorkspaceChanged): void
  /** The `run.events` log's position, answered by `runs.status` so a page subscribes from there. */
  eventCursor?(): { epoch: string; next: number } | null
  now?(): number
}

/** One discussion of an active run, as `runs.status` answers it. */
export interface LiveDiscussionStatus {
  id: string
  state: string
  /** LLM calls completed (replayed ones included). */
  steps: number
  comments: number
  /** The step being generated now, or null between steps. */
  currentStep: number | null
  speaker: string | null
  /** Text pieces streamed for the step in progress. */
  streamedPieces: number
  /** Decode speed of its last generated comment (generated tokens over the call's duration), or null. */
  tokensPerSecond: number | null
  reason: string | null
}

interface Tracked {
  currentStep: number | null
  speaker: string | null
  streamedPieces: number
  tokensPerSecond: number | null
  reason: string | null
  comments: number
  steps: number
}

interface ActiveRun {
  run: RunHandlePort
  tracked: Map<string, Tracked>
  startedAt: number
}

export function runCounts(status: readonly { state: string }[]): RunCounts {
  const count = (state: string) => status.filter((entry) => entry.state === state).length
  const finished = count('finished')
  const failed = count('failed')
  const cancelled = count('cancelled')
  return { total: status.length, finished, failed, cancelled, pending: status.length - finished - failed - cancelled }
}

/**
 * The runs a host is generating: starts them, forwards their events to `run.events` and their
 * tokens to the stream hub, controls them, and keeps what `runs.status` answers (state, step,
 * speed per discussion) so a page opened mid-run can draw its grid. One per host, shared by the
 * studio and runs methods.
 */
export class RunRegistry {
  private readonly active = new Map<string, ActiveRun>()

  constructor(private readonly ports: RunRegistryPorts) {}

  has(runId: string): boolean {
    return this.active.has(runId)
  }

  ids(): string[] {
    return [...this.active.keys()]
  }

  /** Starts the run and tracks it until it ends; answers its id and discussions. */
  launch(run: RunHandlePort): { runId: string; discussionIds: string[] } {
    if (this.active.has(run.runId)) throw new ApiError('invalid-input', `Run "${run.runId}" is already running on this host.`)
    const entry: ActiveRun = { run, tracked: new Map(), startedAt: this.now() }
    this.active.set(run.runId, entry)
    const stop = this.forward(entry)
    void run
      .start()
      .catch(() => undefined)
      .finally(() => {
        stop()
        this.active.delete(run.runId)
      })
    return { runId: run.runId, discussionIds: run.status().map((item) => item.id) }
  }

  control(action: 'pause' | 'resume' | 'cancel', runId: string, discussionId?: string): { ok: true } {
    const { run } = this.entry(runId)
    if (discussionId !== undefined && !run.status().some((item) => item.id === discussionId)) {
      throw new ApiError('not-found', `Discussion "${discussionId}" is not part of run "${runId}".`)
    }
    run[action](discussionId)
    return { ok: true }
  }

  /** The live state of an active run, or null when this host is not running it. */
  status(runId: string): { counts: RunCounts; discussions: LiveDiscussionStatus[]; tokensPerSecond: number; events: { epoch: string; next: number } | null } | null {
    const entry = this.active.get(runId)
    if (entry === undefined) return null
    const status = entry.run.status()
    const discussions = status.map((item) => {
      const tracked = entry.tracked.get(item.id)
      return {
        id: item.id,
        state: item.state,
        steps: item.steps ?? tracked?.steps ?? 0,
        comments: item.comments ?? tracked?.comments ?? 0,
        currentStep: item.state === 'running' ? (tracked?.currentStep ?? null) : null,
        speaker: item.state === 'running' ? (tracked?.speaker ?? null) : null,
        streamedPieces: tracked?.streamedPieces ?? 0,
        tokensPerSecond: tracked?.tokensPerSecond ?? null,
        reason: tracked?.reason ?? null
      }
    })
    const tokensPerSecond = discussions
      .filter((item) => item.state === 'running')
      .reduce((sum, item) => sum + (item.tokensPerSecond ?? 0), 0)
    return { counts: runCounts(status), discussions, tokensPerSecond, events: this.ports.eventCursor?.() ?? null }
  }

  private now(): number {
    return this.ports.now?.() ?? Date.now()
  }

  private entry(runId: string): ActiveRun {
    const entry = this.active.get(runId)
    if (entry === undefined) throw new ApiError('not-found', `Run "${runId}" is not running on this host.`)
    return entry
  }

  private tracked(entry: ActiveRun, discussionId: string): Tracked {
    let tracked = entry.tracked.get(discussionId)
    if (tracked === undefined) {
      tracked = { currentStep: null, speaker: null, streamedPieces: 0, tokensPerSecond: null, reason: null, comments: 0, steps: 0 }
      entry.tracked.set(discussionId, tracked)
    }
    return tracked
  }

  private forward(entry: ActiveRun): () => void {
    const { run } = entry
    const { ports } = this
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
        const tracked = this.tracked(entry, discussionId)
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
            tracked.currentStep = null
            tracked.speaker = null
            tracked.reason = event.reason
            ports.streams.end(stream)
            publish({ kind: `discussion-${event.state}`, discussionId, reason: event.reason })
            if (event.state === 'finished') ports.changed?.({ kinds: ['discussion'] })
            break
        }
        return
      }
      const inner = event.event
      const discussionId = inner.discussion_id
      const tracked = this.tracked(entry, discussionId)
      switch (inner.type) {
        case 'tokens':
          if (inner.text !== undefined && inner.text !== '') {
            tracked.streamedPieces += 1
            ports.streams.append(runStreamId(run.runId, discussionId), inner.text)
          }
          break
        case 'turn-started': {
          const speaker = (inner as { speaker?: unknown }).speaker
          tracked.currentStep = typeof inner.step === 'number' ? inner.step : null
          tracked.speaker = typeof speaker === 'string' ? speaker : null
          tracked.streamedPieces = 0
          publish({ kind: 'turn-started', discussionId, step: tracked.currentStep })
          break
        }
        case 'step': {
          const step = inner.step as { step?: unknown } | undefined
          tracked.steps += 1
          publish({ kind: 'step', discussionId, step: typeof step?.step === 'number' ? step.step : null })
          break
        }
        case 'comment': {
          tracked.comments += 1
          const rate = decodeRate(inner.comment)
          if (rate !== null && inner.replayed !== true) tracked.tokensPerSecond = rate
          publish({ kind: 'comment', discussionId, comment: (inner.comment ?? null) as Record<string, unknown> | null })
          break
        }
      }
    })
  }
}

/** Generated tokens over the generating time of a comment's call, from its timings; null when unknown. */
function decodeRate(comment: object | undefined): number | null {
  const timings = (comment as { timings?: { generated_tokens?: unknown; duration_ms?: unknown; time_to_first_token_ms?: unknown } } | undefined)?.timings
  if (timings === undefined) return null
  const tokens = timings.generated_tokens
  const duration = timings.duration_ms
  if (typeof tokens !== 'number' || typeof duration !== 'number') return null
  const firstToken = typeof timings.time_to_first_token_ms === 'number' ? timings.time_to_first_token_ms : 0
  const seconds = (duration - firstToken) / 1000
  return tokens > 1 && seconds > 0 ? (tokens - 1) / seconds : null
}
