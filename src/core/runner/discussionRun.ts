import { z } from 'zod'
import { DiscussionEventSchema } from '../discussion/engine/discussionEvent.js'
import type { DiscussionPlan } from '../discussion/engine/discussionPlan.js'
import type { EngineStep } from '../discussion/engine/engineStep.js'
import { runDiscussion } from '../discussion/engine/runDiscussion.js'
import type { InferenceBackend } from '../llm/backend.js'
import { IdSchema } from '../schema/ids.js'
import type { JournalWriter } from './runJournal.js'
import type { RunLocation } from './runLocation.js'

export const RunDiscussionStateSchema = z.enum(['queued', 'running', 'paused', 'finished', 'failed', 'cancelled'])
export type RunDiscussionState = z.infer<typeof RunDiscussionStateSchema>

const TERMINAL: ReadonlySet<RunDiscussionState> = new Set(['finished', 'failed', 'cancelled'])

export const RunResultSchema = z.object({
  run_id: IdSchema,
  finished: z.array(z.object({ id: IdSchema, file: z.string() })),
  failed: z.array(z.object({ id: IdSchema, reason: z.string() })),
  cancelled: z.array(IdSchema)
})
export type RunResult = z.infer<typeof RunResultSchema>

/** What a run tells its subscribers; hosts forward these to their clients as they are. */
export const RunEventSchema = z.discriminatedUnion('type', [
  z
    .object({ type: z.literal('discussion'), run_id: IdSchema, event: DiscussionEventSchema })
    .describe("An event of one discussion's engine (steps only once journaled, discussion-done once saved)."),
  z
    .object({
      type: z.literal('discussion-state'),
      run_id: IdSchema,
      discussion_id: IdSchema,
      state: RunDiscussionStateSchema,
      /** Why it failed, for `failed`. */
      reason: z.string().nullable(),
      /** Where it was saved, for `finished`. */
      file: z.string().nullable()
    })
    .describe('A discussion changed state in the queue.'),
  z.object({ type: z.literal('run-finished'), run_id: IdSchema, result: RunResultSchema }).describe('Every discussion has ended.')
])
export type RunEvent = z.infer<typeof RunEventSchema>

export interface RunDiscussionStatus {
  id: string
  state: RunDiscussionState
  /** LLM calls completed (replayed ones included). */
  steps: number
  comments: number
  file: string | null
  reason: string | null
}

export type BackendProvider = (plan: DiscussionPlan) => InferenceBackend

export interface DiscussionRunSetup {
  location: RunLocation
  journal: JournalWriter
  plans: readonly DiscussionPlan[]
  backend: InferenceBackend | BackendProvider
  concurrency: number
  /** Journaled steps per discussion (a resumed run). */
  replay?: ReadonlyMap<string, readonly EngineStep[]>
  /** Discussions that already ended in an earlier session of the run. */
  ended?: ReadonlyMap<string, { state: 'finished' | 'cancelled'; file: string | null }>
  now?: () => Date
  reuseAgentPrefixes?: boolean
  /** Work the run waits for before it reports itself finished (e.g. hashing the model). */
  background?: Promise<unknown>
  /** Problems met while opening the run (unreadable journal lines). */
  warnings?: readonly string[]
}

interface Entry {
  plan: DiscussionPlan
  state: RunDiscussionState
  replay: readonly EngineStep[]
  controller: AbortController
  paused: boolean
  cancelRequested: boolean
  steps: number
  comments: number
  file: string | null
  reason: string | null
}

/**
 * A queue of discussions generating on one backend, `concurrency` at a time. Every step is
 * journaled before its discussion goes on; a finished discussion is saved atomically, then
 * journaled as finished; one failure never stops the others. Pause takes effect between steps,
 * cancel aborts the call in flight. Create with `createRun` or `resumeRun`, then `start()`.
 */
export class DiscussionRun {
  readonly runId: string
  readonly warnings: readonly string[]
  private readonly entries = new Map<string, Entry>()
  private readonly listeners = new Set<(event: RunEvent) => void>()
  private readonly wakers = new Set<() => void>()
  private runPaused = false
  private active = 0
  private started: Promise<RunResult> | null = null
  private finish: ((result: RunResult) => void) | null = null

  constructor(private readonly setup: DiscussionRunSetup) {
    if (!Number.isInteger(setup.concurrency) || setup.concurrency < 1) {
      throw new RangeError(`concurrency must be a whole number >= 1, got ${setup.concurrency}`)
    }
    this.runId = setup.location.runId
    this.warnings = setup.warnings ?? []
    for (const plan of setup.plans) {
      if (this.entries.has(plan.id)) throw new RangeError(`discussion "${plan.id}" is in the run twice`)
      const ended = setup.ended?.get(plan.id)
      const replay = setup.replay?.get(plan.id) ?? []
      this.entries.set(plan.id, {
        plan,
        state: ended?.state ?? 'queued',
        replay,
        controller: new AbortController(),
        paused: false,
        cancelRequested: false,
        steps: replay.length,
        comments: 0,
        file: ended?.file ?? null,
        reason: null
      })
    }
  }

  get location(): RunLocation {
    return this.setup.location
  }

  /** Every event from now on; returns the unsubscribe function. */
  subscribe(listener: (event: RunEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  status(): RunDiscussionStatus[] {
    return [...this.entries.values()].map((entry) => ({
      id: entry.plan.id,
      state: entry.state,
      steps: entry.steps,
      comments: entry.comments,
      file: entry.file,
      reason: entry.reason
    }))
  }

  /** Starts generating; the same promise on every call. Resolves when every discussion has ended. */
  start(): Promise<RunResult> {
    this.started ??= new Promise<RunResult>((resolve) => {
      this.finish = resolve
      this.pump()
    })
    return this.started
  }

  /** The whole run, or one discussion: no new step starts until `resume`. */
  pause(discussionId?: string): void {
    if (discussionId === undefined) this.runPaused = true
    else this.entry(discussionId).paused = true
  }

  resume(discussionId?: string): void {
    if (discussionId === undefined) {
      this.runPaused = false
      for (const entry of this.entries.values()) entry.paused = false
    } else {
      this.entry(discussionId).paused = false
    }
    this.wake()
    this.pump()
  }

  /** The whole run, or one discussion: the call in flight is aborted and nothing more runs. */
  cancel(discussionId?: string): void {
    const targets = discussionId === undefined ? [...this.entries.values()] : [this.entry(discussionId)]
    for (const entry of targets) {
      if (TERMINAL.has(entry.state)) continue
      entry.cancelRequested = true
      entry.controller.abort()
      if (entry.state === 'queued') void this.end(entry, 'cancelled', { record: true })
    }
    this.wake()
  }

  private entry(id: string): Entry {
    const entry = this.entries.get(id)
    if (!entry) throw new RangeError(`discussion "${id}" is not in run ${this.runId}`)
    return entry
  }

  private isPaused(entry: Entry): boolean {
    return (this.runPaused || entry.paused) && !entry.cancelRequested
  }

  private pump(): void {
    if (!this.finish) return
    for (const entry of this.entries.values()) {
      if (this.active >= this.setup.concurrency) break
      if (entry.state !== 'queued' || this.isPaused(entry)) continue
      this.active += 1
      void this.drive(entry).finally(() => {
        this.active -= 1
        this.pump()
      })
    }
    this.checkFinished()
  }

  private checkFinished(): void {
    const entries = [...this.entries.values()]
    if (!this.finish || !entries.every((entry) => TERMINAL.has(entry.state))) return
    const finish = this.finish
    this.finish = null
    const result: RunResult = {
      run_id: this.runId,
      finished: entries.filter((e) => e.state === 'finished').map((e) => ({ id: e.plan.id, file: e.file ?? '' })),
      failed: entries.filter((e) => e.state === 'failed').map((e) => ({ id: e.plan.id, reason: e.reason ?? '' })),
      cancelled: entries.filter((e) => e.state === 'cancelled').map((e) => e.plan.id)
    }
    void Promise.resolve(this.setup.background)
      .catch(() => undefined)
      .then(() => {
        this.emit({ type: 'run-finished', run_id: this.runId, result })
        finish(result)
      })
  }

  private async drive(entry: Entry): Promise<void> {
    const { plan } = entry
    this.setState(entry, 'running')
    try {
      const backend = typeof this.setup.backend === 'function' ? this.setup.backend(plan) : this.setup.backend
      const events = runDiscussion(plan, backend, {
        replay: entry.replay,
        signal: entry.controller.signal,
        runId: this.runId,
        ...(this.setup.now ? { now: this.setup.now } : {}),
        ...(this.setup.reuseAgentPrefixes === undefined ? {} : { reuseAgentPrefixes: this.setup.reuseAgentPrefixes })
      })
      for await (const event of events) {
        switch (event.type) {
          case 'step':
            if (!event.replayed) {
              await this.setup.journal.append({ type: 'step', discussion_id: plan.id, step: event.step })
              entry.steps += 1
            }
            this.emit({ type: 'discussion', run_id: this.runId, event })
            await this.waitWhilePaused(entry)
            break
          case 'comment':
            entry.comments = Math.max(entry.comments, event.comment.index + 1)
            this.emit({ type: 'discussion', run_id: this.runId, event })
            break
          case 'discussion-done': {
            const file = await this.setup.location.saveDiscussion(event.discussion)
            await this.setup.journal.append({ type: 'discussion-finished', discussion_id: plan.id, at: this.now(), file })
            this.emit({ type: 'discussion', run_id: this.runId, event })
            await this.end(entry, 'finished', { file })
            break
          }
          case 'discussion-cancelled':
            this.emit({ type: 'discussion', run_id: this.runId, event })
            await this.end(entry, 'cancelled', { record: true })
            break
          case 'error':
            this.emit({ type: 'discussion', run_id: this.runId, event })
            await this.end(entry, 'failed', { reason: event.message, code: event.code, record: true })
            break
          default:
            this.emit({ type: 'discussion', run_id: this.runId, event })
        }
      }
      if (!TERMINAL.has(entry.state)) await this.end(entry, 'failed', { reason: 'the engine stopped without saying why', record: true })
    } catch (error) {
      // The journal or the output could not be written, or the plan was invalid.
      const reason = error instanceof Error ? error.message : String(error)
      await this.end(entry, 'failed', { reason, record: true })
    }
  }

  private async waitWhilePaused(entry: Entry): Promise<void> {
    if (!this.isPaused(entry)) return
    this.setState(entry, 'paused')
    while (this.isPaused(entry)) {
      await new Promise<void>((resolve) => this.wakers.add(resolve))
    }
    this.setState(entry, 'running')
  }

  private wake(): void {
    const wakers = [...this.wakers]
    this.wakers.clear()
    for (const wake of wakers) wake()
  }

  private async end(
    entry: Entry,
    state: 'finished' | 'failed' | 'cancelled',
    details: { file?: string; reason?: string; code?: string | null; record?: boolean }
  ): Promise<void> {
    if (TERMINAL.has(entry.state)) return
    entry.file = details.file ?? null
    entry.reason = details.reason ?? null
    this.setState(entry, state)
    if (details.record && state !== 'finished') {
      const at = this.now()
      const record =
        state === 'failed'
          ? ({ type: 'discussion-failed', discussion_id: entry.plan.id, at, reason: entry.reason ?? '', code: details.code ?? null } as const)
          : ({ type: 'discussion-cancelled', discussion_id: entry.plan.id, at } as const)
      // A journal that cannot be written loses only this note: the discussion is then resumed as unfinished.
      await this.setup.journal.append(record).catch(() => undefined)
    }
    this.checkFinished()
  }

  private setState(entry: Entry, state: RunDiscussionState): void {
    if (entry.state === state) return
    entry.state = state
    this.emit({ type: 'discussion-state', run_id: this.runId, discussion_id: entry.plan.id, state, reason: entry.reason, file: entry.file })
  }

  private emit(event: RunEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch {
        // A subscriber's bug must not stop the run.
      }
    }
  }

  private now(): string {
    return (this.setup.now ?? (() => new Date()))().toISOString()
  }
}
