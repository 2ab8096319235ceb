import { randomBytes } from 'node:crypto'
import { annotationTargets } from '../annotation/annotationContext.js'
import { runAnnotationJob, type AnnotationJobProgress, type AnnotationJobResult } from '../annotation/runAnnotationJob.js'
import type { InferenceBackend } from '../llm/backend.js'
import type { Annotation, AnnotatorSpec } from '../schema/index.js'
import type { Workspace } from '../workspace/workspace.js'
import { HostNotFoundError } from './studioPorts.js'

/** A request the results methods refuse: the message says what is wrong and what to do. */
export class AnalysisInputError extends Error {
  override readonly name = 'AnalysisInputError'
}

export interface AnnotationJobRequest {
  annotatorIds: readonly string[]
  discussionIds: readonly string[] | 'all'
  concurrency: number
  maxTokens?: number | undefined
}

export interface AnnotationJobEvent {
  kind: 'job-started' | 'annotation' | 'failed' | 'job-finished'
  discussionId: string | null
  commentIndex: number | null
  annotatorId: string | null
  annotation: Record<string, unknown> | null
  message: string | null
  progress: { total: number; done: number; failed: number }
}

export interface AnnotationJob {
  readonly jobId: string
  run(report: (event: AnnotationJobEvent) => void): Promise<void>
  cancel(): void
}

const MISSING_SHOWN = 5

/**
 * Checks an annotation job's annotators and discussions, then returns it ready to run: core's
 * `runAnnotationJob` per annotator (resumable, journaled per annotation), with every stored
 * annotation and every failed discussion reported as an event and counted in comments, so a
 * progress bar can say how many of how many.
 */
export async function createAnnotationJob(
  workspace: Workspace,
  backend: InferenceBackend,
  request: AnnotationJobRequest
): Promise<AnnotationJob> {
  const specs: AnnotatorSpec[] = []
  for (const id of new Set(request.annotatorIds)) {
    let spec: AnnotatorSpec | undefined
    try {
      spec = await workspace.annotators.get(id)
    } catch (error) {
      throw new AnalysisInputError(`annotator "${id}" cannot be used: ${(error as Error).message}`)
    }
    if (spec === undefined) throw new HostNotFoundError(`There is no annotator "${id}" in this workspace.`)
    specs.push(spec)
  }
  const known = await workspace.discussions.ids()
  let discussionIds: string[]
  if (request.discussionIds === 'all') {
    discussionIds = known
  } else {
    const present = new Set(known)
    discussionIds = [...new Set(request.discussionIds)]
    const missing = discussionIds.filter((id) => !present.has(id))
    if (missing.length > 0) {
      const shown = missing.slice(0, MISSING_SHOWN).map((id) => `"${id}"`).join(', ')
      const more = missing.length > MISSING_SHOWN ? ` and ${missing.length - MISSING_SHOWN} more` : ''
      throw new HostNotFoundError(`These discussions are not in this workspace: ${shown}${more}.`)
    }
  }
  if (discussionIds.length === 0) throw new AnalysisInputError('there are no discussions to annotate; import or run some first')

  const jobId = `annotate-${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomBytes(3).toString('hex')}`
  const controller = new AbortController()
  return {
    jobId,
    cancel: () => controller.abort(new Error('the annotation job was cancelled')),
    run: (report) => runJob(workspace, backend, specs, discussionIds, request, controller.signal, report)
  }
}

async function runJob(
  workspace: Workspace,
  backend: InferenceBackend,
  specs: readonly AnnotatorSpec[],
  discussionIds: readonly string[],
  request: AnnotationJobRequest,
  signal: AbortSignal,
  report: (event: AnnotationJobEvent) => void
): Promise<void> {
  const progress = { total: 0, done: 0, failed: 0 }
  const event = (fields: Partial<AnnotationJobEvent> & Pick<AnnotationJobEvent, 'kind'>): void =>
    report({ discussionId: null, commentIndex: null, annotatorId: null, annotation: null, message: null, ...fields, progress: { ...progress } })
  try {
    // Comments left to annotate per (annotator, discussion): what a failed discussion leaves undone.
    const remaining = new Map<string, number>()
    for (const discussionId of discussionIds) {
      const discussion = await workspace.discussions.get(discussionId).catch(() => undefined)
      if (discussion === undefined) continue
      const stored = (await workspace.annotations.list(discussionId)).annotations
      for (const spec of specs) {
        const done = new Set(stored.filter((a) => a.annotator.spec_id === spec.id).map((a) => a.comment_index))
        const left = annotationTargets(spec, discussion).filter((target) => !done.has(target.comment.index)).length
        remaining.set(taskKey(spec.id, discussionId), left)
        progress.total += left
      }
    }
    event({ kind: 'job-started' })
    for (const spec of specs) {
      // The job's writes, seen as they are journaled: runAnnotationJob reads and appends through this view.
      const journal = {
        list: (id: string) => workspace.annotations.list(id),
        append: async (id: string, annotations: readonly Annotation[]) => {
          const written = await workspace.annotations.append(id, annotations)
          if (written > 0) {
            for (const annotation of annotations) {
              const key = taskKey(spec.id, id)
              remaining.set(key, Math.max(0, (remaining.get(key) ?? 1) - 1))
              progress.done += 1
              if (!annotation.parsed) progress.failed += 1
              event({
                kind: 'annotation',
                discussionId: id,
                commentIndex: annotation.comment_index,
                annotatorId: spec.id,
                annotation: annotation as unknown as Record<string, unknown>
              })
            }
          }
          return written
        }
      }
      const view = { discussions: workspace.discussions, annotations: journal } as unknown as Workspace
      let reported = 0
      const reportFailures = (failed: AnnotationJobResult['failed']) => {
        for (const failure of failed.slice(reported)) {
          const left = remaining.get(taskKey(spec.id, failure.discussionId)) ?? 0
          remaining.set(taskKey(spec.id, failure.discussionId), 0)
          progress.done += left
          progress.failed += left
          event({ kind: 'failed', discussionId: failure.discussionId, annotatorId: spec.id, message: failure.message })
        }
        reported = Math.max(reported, failed.length)
      }
      const result = await runAnnotationJob(view, [spec], backend, {
        discussionIds,
        concurrency: request.concurrency,
        ...(request.maxTokens === undefined ? {} : { maxTokens: request.maxTokens }),
        signal,
        // runAnnotationJob reports a copy of its running result, failures included: report them as they happen.
        onProgress: (state: AnnotationJobProgress & { failed?: AnnotationJobResult['failed'] }) => reportFailures(state.failed ?? [])
      })
      reportFailures(result.failed)
    }
    event({ kind: 'job-finished' })
  } catch (error) {
    const message = signal.aborted ? 'cancelled' : error instanceof Error ? error.message : String(error)
    event({ kind: 'job-finished', message })
  }
}

function taskKey(specId: string, discussionId: string): string {
  return `${specId}\u0000${discussionId}`
}
