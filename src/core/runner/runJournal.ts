import { z } from 'zod'
import { EngineStepSchema, type EngineStep } from '../discussion/engine/engineStep.js'
import { IdSchema } from '../schema/ids.js'
import { appendJsonl, readJsonl, type JsonlProblem } from '../workspace/jsonl.js'

/**
 * One line of `runs/<run_id>/journal.jsonl`. A step is journaled (fsynced) before the discussion
 * may go on, so after a crash every journaled step can be replayed and nothing else was done.
 */
export const JournalRecordSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('run-started'),
    run_id: IdSchema,
    at: z.string(),
    resumed: z.boolean(),
    discussion_ids: z.array(IdSchema)
  }),
  z.object({ type: z.literal('step'), discussion_id: IdSchema, step: EngineStepSchema }),
  z.object({ type: z.literal('discussion-finished'), discussion_id: IdSchema, at: z.string(), file: z.string() }),
  z.object({
    type: z.literal('discussion-failed'),
    discussion_id: IdSchema,
    at: z.string(),
    reason: z.string(),
    code: z.string().nullable()
  }),
  z.object({ type: z.literal('discussion-cancelled'), discussion_id: IdSchema, at: z.string() })
])
export type JournalRecord = z.infer<typeof JournalRecordSchema>

/**
 * Appends to a journal from many concurrent discussions: records that arrive while a write is in
 * flight go out together in the next one (group commit), so K discussions cost one fsync per
 * batch rather than one each, and lines never interleave.
 */
export class JournalWriter {
  private queue: { record: JournalRecord; resolve: () => void; reject: (error: unknown) => void }[] = []
  private writing = false

  constructor(readonly path: string) {}

  /** Resolves once the record is on disk. */
  append(record: JournalRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ record, resolve, reject })
      this.flush()
    })
  }

  private flush(): void {
    if (this.writing || this.queue.length === 0) return
    const batch = this.queue.splice(0)
    this.writing = true
    appendJsonl(
      this.path,
      batch.map((entry) => entry.record)
    ).then(
      () => this.settle(batch, null),
      (error: unknown) => this.settle(batch, error ?? new Error('journal write failed'))
    )
  }

  private settle(batch: typeof this.queue, error: unknown): void {
    this.writing = false
    for (const entry of batch) {
      if (error === null) entry.resolve()
      else entry.reject(error)
    }
    this.flush()
  }
}

export type JournaledState = 'in-progress' | 'finished' | 'failed' | 'cancelled'

export interface JournaledDiscussion {
  /** Completed steps in order, from the discussion's first step, without gaps. */
  steps: EngineStep[]
  state: JournaledState
  /** For `finished`: where the discussion was saved. */
  file: string | null
  /** For `failed`: why. */
  reason: string | null
}

export interface JournalContents {
  discussions: Map<string, JournaledDiscussion>
  /** Lines that could not be read (a torn last line after a crash is one). */
  problems: JsonlProblem[]
  tornTail: boolean
}

/**
 * Reads a run's journal: per discussion its steps and how it last ended. The latest terminal
 * record wins (a failed discussion that was resumed and finished is finished). Steps after a gap
 * in the numbering cannot be replayed and are dropped.
 */
export async function readRunJournal(path: string): Promise<JournalContents> {
  const { records, problems, tornTail } = await readJsonl(path, JournalRecordSchema)
  const discussions = new Map<string, JournaledDiscussion>()
  const entry = (id: string): JournaledDiscussion => {
    let found = discussions.get(id)
    if (!found) {
      found = { steps: [], state: 'in-progress', file: null, reason: null }
      discussions.set(id, found)
    }
    return found
  }
  const stepsById = new Map<string, Map<number, EngineStep>>()
  for (const record of records) {
    switch (record.type) {
      case 'run-started':
        for (const id of record.discussion_ids) entry(id)
        break
      case 'step': {
        entry(record.discussion_id)
        let steps = stepsById.get(record.discussion_id)
        if (!steps) stepsById.set(record.discussion_id, (steps = new Map()))
        if (!steps.has(record.step.step)) steps.set(record.step.step, record.step)
        break
      }
      case 'discussion-finished':
        Object.assign(entry(record.discussion_id), { state: 'finished', file: record.file, reason: null })
        break
      case 'discussion-failed':
        Object.assign(entry(record.discussion_id), { state: 'failed', file: null, reason: record.reason })
        break
      case 'discussion-cancelled':
        Object.assign(entry(record.discussion_id), { state: 'cancelled', file: null, reason: null })
        break
    }
  }
  for (const [id, steps] of stepsById) {
    const ordered = [...steps.values()].sort((a, b) => a.step - b.step)
    const first = ordered[0]?.step ?? 0
    const contiguous = ordered.filter((step, position) => step.step === first + position)
    entry(id).steps = contiguous
  }
  return { discussions, problems, tornTail }
}
