import type { RunCounts, RunEventPayload } from '../../../shared/index.js'

// What the live grid knows about each run, built from `run.events` (live only: a page opened
// mid-run starts from the run's listing and learns each discussion's state as events arrive).

export type DiscussionPhase = 'queued' | 'running' | 'paused' | 'finished' | 'failed' | 'cancelled' | 'interrupted'

export interface LiveDiscussion {
  readonly id: string
  readonly phase: DiscussionPhase
  /** The step now being generated (or the last one done). */
  readonly step: number | null
  /** Who is speaking now when the host says, else who spoke last. */
  readonly speaker: string | null
  readonly comments: number
  readonly reason: string | null
}

export interface LiveRun {
  readonly runId: string
  readonly order: readonly string[]
  readonly discussions: Readonly<Record<string, LiveDiscussion>>
  readonly progress: RunCounts | null
  /** When this page first saw the run move (for the ETA). */
  readonly firstSeenMs: number
  readonly finished: boolean
}

const ENDED: ReadonlySet<DiscussionPhase> = new Set(['finished', 'failed', 'cancelled'])

export function isEnded(phase: DiscussionPhase): boolean {
  return ENDED.has(phase)
}

function blank(id: string): LiveDiscussion {
  return { id, phase: 'queued', step: null, speaker: null, comments: 0, reason: null }
}

/** A run as its listing describes it, before any event: every discussion queued. */
export function seedRun(runId: string, discussionIds: readonly string[], nowMs: number, progress: RunCounts | null = null): LiveRun {
  return {
    runId,
    order: [...discussionIds],
    discussions: Object.fromEntries(discussionIds.map((id) => [id, blank(id)])),
    progress,
    firstSeenMs: nowMs,
    finished: false
  }
}

function phaseAfter(kind: RunEventPayload['kind'], current: DiscussionPhase): DiscussionPhase {
  switch (kind) {
    case 'discussion-started':
    case 'discussion-resumed':
      return 'running'
    case 'discussion-paused':
      return 'paused'
    case 'discussion-finished':
      return 'finished'
    case 'discussion-failed':
      return 'failed'
    case 'discussion-cancelled':
      return 'cancelled'
    case 'turn-started':
    case 'step':
    case 'comment':
      return current === 'queued' ? 'running' : current
    default:
      return current
  }
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null
}

/** The run after one event; a run or discussion not seen before is added. */
export function applyRunEvent(run: LiveRun | undefined, event: RunEventPayload & { speaker?: unknown }, nowMs: number): LiveRun {
  const base = run ?? seedRun(event.runId, [], nowMs)
  if (event.kind === 'run-finished') return { ...base, progress: event.progress, finished: true }
  if (event.discussionId === null) return { ...base, progress: event.progress }
  const id = event.discussionId
  const before = base.discussions[id] ?? blank(id)
  const after: LiveDiscussion = {
    ...before,
    phase: phaseAfter(event.kind, before.phase),
    step: event.step ?? before.step,
    speaker:
      event.kind === 'comment' ? (text(event.comment?.['author']) ?? before.speaker) : event.kind === 'turn-started' ? (text(event.speaker) ?? before.speaker) : before.speaker,
    comments: event.kind === 'comment' ? before.comments + 1 : before.comments,
    reason: event.reason ?? before.reason
  }
  return {
    ...base,
    order: base.discussions[id] === undefined ? [...base.order, id] : base.order,
    discussions: { ...base.discussions, [id]: after },
    progress: event.progress
  }
}

/** Ended discussions of a run (finished, failed or cancelled), from its counts. */
export function endedCount(progress: RunCounts | null): number {
  return progress === null ? 0 : progress.finished + progress.failed + progress.cancelled
}

/** What `runs.status` says of one discussion (the fields the grid reads). */
export interface DiscussionStatus {
  readonly id: string
  readonly state: DiscussionPhase
  readonly comments: number
  readonly currentStep: number | null
  readonly steps: number
  readonly speaker: string | null
  readonly reason: string | null
}

/**
 * The run after a `runs.status` answer: the host's view of each discussion replaces the page's
 * (it is what a page opened mid-run, or one that missed live events, needs), in the host's order.
 */
export function applyRunStatus(
  run: LiveRun | undefined,
  status: { runId: string; counts: RunCounts; active: boolean; discussions: readonly DiscussionStatus[] },
  nowMs: number
): LiveRun {
  const base = run ?? seedRun(status.runId, [], nowMs)
  const discussions: Record<string, LiveDiscussion> = { ...base.discussions }
  for (const entry of status.discussions) {
    const before = discussions[entry.id] ?? blank(entry.id)
    discussions[entry.id] = {
      id: entry.id,
      phase: entry.state,
      step: entry.currentStep ?? (entry.steps > 0 ? entry.steps - 1 : before.step),
      speaker: entry.speaker ?? before.speaker,
      comments: Math.max(entry.comments, before.comments),
      reason: entry.reason ?? before.reason
    }
  }
  const known = new Set(status.discussions.map((entry) => entry.id))
  return {
    ...base,
    order: [...status.discussions.map((entry) => entry.id), ...base.order.filter((id) => !known.has(id))],
    discussions,
    progress: status.counts,
    finished: base.finished || (!status.active && status.counts.pending === 0)
  }
}
