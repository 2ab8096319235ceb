import { HumanLabelImportError, importHumanLabels } from '../annotation/humanLabels/index.js'
import type { Workspace } from '../workspace/workspace.js'

export interface HumanLabelsPortsOptions {
  workspace(): Workspace | null
  /** Called after annotations were added (the host's `workspace.changed`). */
  changed?(): void
}

/**
 * Core's human-label import as the ports of shared's `createHumanLabelsMethods`: uploaded text in,
 * the report in the contract's camelCase out; a file that cannot be imported at all is a `problem`.
 */
export function createHumanLabelsPorts(options: HumanLabelsPortsOptions) {
  return {
    hasWorkspace: () => options.workspace() !== null,

    async importHumanCsv(request: { fileName: string; content: string; annotatorSpecId: string | undefined }) {
      const workspace = options.workspace()
      if (workspace === null) throw new Error('no workspace is open')
      try {
        const report = await importHumanLabels(workspace, new TextEncoder().encode(request.content), {
          fileName: request.fileName,
          ...(request.annotatorSpecId !== undefined ? { annotatorSpecId: request.annotatorSpecId } : {})
        })
        return {
          file: report.file,
          annotatorSpecId: report.annotator_spec_id,
          rowsRead: report.rows_read,
          imported: report.imported,
          alreadyPresent: report.already_present,
          rejectedCount: report.rejected_count,
          rejected: report.rejected.map(({ line, reason }) => ({ row: line, reason })),
          labels: report.labels,
          annotators: report.annotators,
          discussions: report.discussions
        }
      } catch (error) {
        if (error instanceof HumanLabelImportError) return { problem: error.message }
        throw error
      }
    },

    changed: () => options.changed?.()
  }
}
