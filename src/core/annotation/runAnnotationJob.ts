import type { InferenceBackend, Sampling } from '../llm/backend.js'
import type { AnnotatorSpec } from '../schema/index.js'
import type { Workspace } from '../workspace/workspace.js'
import { annotateDiscussion } from './annotateDiscussion.js'

export interface AnnotationJobOptions {
  /** Discussions to annotate (default: every discussion in the workspace). */
  discussionIds?: readonly string[]
  /** Discussions annotated at once; their requests batch together on the backend. */
  concurrency?: number
  maxTokens?: number
  sampling?: Sampling
  seed?: number
  signal?: AbortSignal
  onProgress?: (progress: AnnotationJobProgress) => void
}

export interface AnnotationJobProgress {
  discussions: number
  discussionsDone: number
  annotationsWritten: number
}

export interface AnnotationJobResult extends AnnotationJobProgress {
  /** Annotations that were already stored from an earlier, interrupted job and were not redone. */
  annotationsSkipped: number
  failed: { discussionId: string; message: string }[]
}

/**
 * Annotators × discussions as one resumable job. Each annotation is appended to its discussion's
 * journal (fsynced) as soon as it exists, and annotation ids are derived from (annotator,
 * discussion, comment), so running the same job again after a crash or a kill annotates only the
 * comments that have no annotation from that annotator yet: nothing is lost and nothing doubled.
 * A discussion that fails is reported and the others go on.
 */
export async function runAnnotationJob(
  workspace: Workspace,
  specs: readonly AnnotatorSpec[],
  backend: InferenceBackend,
  options: AnnotationJobOptions = {}
): Promise<AnnotationJobResult> {
  const discussionIds = options.discussionIds ?? (await workspace.discussions.ids())
  const tasks = specs.flatMap((spec) => discussionIds.map((discussionId) => ({ spec, discussionId })))
  const result: AnnotationJobResult = {
    discussions: tasks.length,
    discussionsDone: 0,
    annotationsWritten: 0,
    annotationsSkipped: 0,
    failed: []
  }
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const { spec, discussionId } = tasks[next++]!
      try {
        const discussion = await workspace.discussions.get(discussionId)
        if (!discussion) throw new Error(`discussion "${discussionId}" is not in the workspace`)
        const stored = (await workspace.annotations.list(discussionId)).annotations
        const done = new Set(
          stored.filter((annotation) => annotation.annotator.spec_id === spec.id).map((annotation) => annotation.comment_index ?? -1)
        )
        result.annotationsSkipped += done.size
        for await (const annotation of annotateDiscussion(spec, discussion, backend, {
          skip: done,
          ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
          ...(options.sampling === undefined ? {} : { sampling: options.sampling }),
          ...(options.seed === undefined ? {} : { seed: options.seed }),
          ...(options.signal === undefined ? {} : { signal: options.signal })
        })) {
          result.annotationsWritten += await workspace.annotations.append(discussionId, [annotation])
        }
      } catch (error) {
        if (options.signal?.aborted) throw error
        result.failed.push({ discussionId, message: error instanceof Error ? error.message : String(error) })
      }
      result.discussionsDone += 1
      options.onProgress?.({ ...result })
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 1, tasks.length)) }, worker))
  return result
}
