import { join } from 'node:path'
import type { Discussion } from '../schema/discussion.js'
import { IdSchema } from '../schema/ids.js'
import { RUNS_FOLDER } from '../workspace/layout.js'
import type { Workspace } from '../workspace/workspace.js'

/** The files of a run folder. */
export const RUN_FILES = {
  journal: 'journal.jsonl',
  manifest: 'manifest.json',
  plans: 'plans.json'
} as const

/**
 * Where a run keeps its journal, manifest and plans, and where its finished discussions go: a
 * workspace (`runs/<run_id>/`, `discussions/<id>.json`) or, for the SDF-parity CLI, a folder next
 * to the output files.
 */
export interface RunLocation {
  readonly runId: string
  readonly directory: string
  /** Writes a finished discussion atomically and returns its path. */
  saveDiscussion(discussion: Discussion): Promise<string>
}

export function runFilePath(location: Pick<RunLocation, 'directory'>, file: keyof typeof RUN_FILES): string {
  return join(location.directory, RUN_FILES[file])
}

export function workspaceRunLocation(workspace: Workspace, runId: string): RunLocation {
  IdSchema.parse(runId)
  return {
    runId,
    directory: workspace.resolve(RUNS_FOLDER, runId),
    saveDiscussion: async (discussion) => {
      await workspace.discussions.put(discussion)
      return workspace.discussions.pathOf(discussion.id)
    }
  }
}
