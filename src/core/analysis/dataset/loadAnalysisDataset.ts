import type { WorkspaceProblem } from '../../workspace/jsonCollection.js'
import type { Workspace } from '../../workspace/workspace.js'
import { toAnalysisDiscussion, type AnalysisDataset, type AnalysisDiscussion } from './analysisDataset.js'
import { readDiscussionsWithAnnotations } from './readDiscussionsWithAnnotations.js'

export interface LoadAnalysisOptions {
  discussionIds?: readonly string[]
  concurrency?: number
  onProgress?: (progress: { done: number; total: number }) => void
}

/** Reads a workspace's discussions and annotations into the form the analyses take. */
export async function loadAnalysisDataset(workspace: Workspace, options: LoadAnalysisOptions = {}): Promise<AnalysisDataset> {
  const ids = options.discussionIds ?? (await workspace.discussions.ids())
  const discussions: AnalysisDiscussion[] = []
  const problems: WorkspaceProblem[] = []
  for await (const { discussion, annotations } of readDiscussionsWithAnnotations(workspace, {
    discussionIds: ids,
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    onProblem: (problem) => problems.push(problem)
  })) {
    discussions.push(toAnalysisDiscussion(discussion, annotations))
    options.onProgress?.({ done: discussions.length, total: ids.length })
  }
  return { discussions, problems }
}
