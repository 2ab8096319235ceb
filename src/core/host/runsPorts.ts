import { ZodError } from 'zod'
import { forkDiscussion } from '../discussion/engine/forkDiscussion.js'
import { PlanError } from '../discussion/engine/planError.js'
import type { InferenceBackend } from '../llm/backend.js'
import { createRun } from '../runner/createRun.js'
import type { DiscussionRun } from '../runner/discussionRun.js'
import { newRunId } from '../runner/newRunId.js'
import { resumeRun } from '../runner/resumeRun.js'
import { readRunJournal } from '../runner/runJournal.js'
import { runFilePath, workspaceRunLocation } from '../runner/runLocation.js'
import { readRunPlans, RunNotFoundError } from '../runner/runPlansFile.js'
import type { Workspace } from '../workspace/workspace.js'
import { HostNotFoundError } from './studioPorts.js'

export interface RunsPortsOptions {
  /** The workspace the host has open, or null. */
  workspace(): Workspace | null
  /** The model runs generate on, or null when the host has none loaded. */
  backend(): InferenceBackend | null
  now?: () => Date
}

type JournalState = 'queued' | 'finished' | 'failed' | 'cancelled' | 'interrupted'

/**
 * Core's runner as the ports of shared's `createRunsMethods` (which core may not import: the types
 * meet structurally): resume from the journal, fork a finished discussion, a run's state from its files.
 */
export function createRunsPorts(options: RunsPortsOptions) {
  function workspace(): Workspace {
    const current = options.workspace()
    if (current === null) throw new Error('no workspace is open')
    return current
  }

  function backend(): InferenceBackend {
    const loaded = options.backend()
    if (loaded === null) throw new Error('no model is loaded')
    return loaded
  }

  const now = options.now ? { now: options.now } : {}

  return {
    hasWorkspace: () => options.workspace() !== null,
    hasBackend: () => options.backend() !== null,

    describeError(error: unknown): { code: 'invalid-input' | 'not-found'; message: string } | null {
      if (error instanceof HostNotFoundError) return { code: 'not-found', message: error.message }
      if (error instanceof RunNotFoundError) return { code: 'not-found', message: 'There is no such run in this workspace (its plans.json is missing).' }
      if (error instanceof PlanError) return { code: 'invalid-input', message: error.message }
      if (error instanceof RangeError) return { code: 'invalid-input', message: error.message }
      if (error instanceof ZodError) {
        const issue = error.issues[0]
        return { code: 'invalid-input', message: issue ? `overrides.${issue.path.join('.')}: ${issue.message}` : error.message }
      }
      return null
    },

    async resumeRun(runId: string, concurrency: number, includeCancelled: boolean): Promise<DiscussionRun> {
      return resumeRun(workspace(), runId, backend(), { concurrency, includeCancelled, ...now })
    },

    async forkRun(discussionId: string, atComment: number, overrides: Record<string, unknown>): Promise<DiscussionRun> {
      const current = workspace()
      const discussion = await current.discussions.get(discussionId)
      if (discussion === undefined) throw new HostNotFoundError(`There is no discussion "${discussionId}" in this workspace.`)
      const plan = forkDiscussion(discussion, atComment, overrides)
      if (await current.discussions.has(plan.id)) {
        throw new PlanError([`a discussion "${plan.id}" already exists; give the fork another id in overrides.id`])
      }
      return createRun({
        location: workspaceRunLocation(current, newRunId(`${plan.id}`)),
        plans: [plan],
        backend: backend(),
        concurrency: 1,
        provenance: { seed: plan.seed, parameters: { forked_from: discussionId, at_comment: atComment, overrides } },
        ...now
      })
    },

    async journalStatus(runId: string) {
      const current = workspace()
      const location = workspaceRunLocation(current, runId)
      const plans = await readRunPlans(runFilePath(location, 'plans'))
      const journal = await readRunJournal(runFilePath(location, 'journal'))
      const discussions = []
      for (const plan of plans) {
        const journaled = journal.discussions.get(plan.id)
        const state: JournalState =
          journaled === undefined ? 'queued' : journaled.state === 'in-progress' ? 'interrupted' : journaled.state
        let comments = 0
        if (state === 'finished') {
          const saved = await current.discussions.get(plan.id).catch(() => undefined)
          comments = saved?.comments.filter((comment) => comment.role !== 'seed').length ?? 0
        }
        discussions.push({ id: plan.id, state, steps: journaled?.steps.length ?? 0, comments, reason: journaled?.reason ?? null })
      }
      return { discussions, problems: journal.problems.map((problem) => `journal.jsonl line ${problem.line}: ${problem.message}`) }
    }
  }
}

/** What `withRunLeases` needs of a host's model slot (core's `ModelSlot`). */
interface LeasingSlot {
  lease(): { release(): void } | null
  holdForRun<R extends { readonly runId: string; start(): Promise<unknown> }>(run: R, lease: never): R
}

/** Like `withModelLeases` for the studio ports: resumed and forked runs hold the model until they end. */
export function withRunLeases<P extends ReturnType<typeof createRunsPorts>>(ports: P, slot: LeasingSlot): P {
  async function held(create: () => Promise<DiscussionRun>): Promise<DiscussionRun> {
    const lease = slot.lease()
    try {
      const run = await create()
      return lease === null ? run : slot.holdForRun(run, lease as never)
    } catch (error) {
      lease?.release()
      throw error
    }
  }
  return {
    ...ports,
    resumeRun: (runId: string, concurrency: number, includeCancelled: boolean) => held(() => ports.resumeRun(runId, concurrency, includeCancelled)),
    forkRun: (discussionId: string, atComment: number, overrides: Record<string, unknown>) => held(() => ports.forkRun(discussionId, atComment, overrides))
  }
}
