import { ApiError } from './apiError.js'
import type { AppContract } from './appContract.js'
import type { Implementation } from './contract.js'
import type { HumanCsvImportReport } from './humanLabelsContract.js'

export interface HumanCsvImportRequest {
  fileName: string
  content: string
  annotatorSpecId: string | undefined
}

/** What the human-label methods need from core: `createHumanLabelsPorts` meets it structurally. */
export interface HumanLabelsPorts {
  hasWorkspace(): boolean
  /** The import's report, or `problem` when the file cannot be imported at all (no key columns, unknown spec, …). */
  importHumanCsv(request: HumanCsvImportRequest): Promise<HumanCsvImportReport | { problem: string }>
  /** Tells subscribers the workspace's annotations changed. */
  changed?(): void
}

export type HumanLabelsMethods = Pick<Implementation<AppContract>, 'annotations.importHumanCsv'>

/** `annotations.importHumanCsv` for both hosts, over core's importer. */
export function createHumanLabelsMethods(ports: HumanLabelsPorts): HumanLabelsMethods {
  return {
    'annotations.importHumanCsv': async ({ fileName, content, annotatorSpecId }) => {
      if (!ports.hasWorkspace()) throw new ApiError('no-workspace', 'No workspace is open. Open or create one first.')
      const result = await ports.importHumanCsv({ fileName, content, annotatorSpecId })
      if ('problem' in result) throw new ApiError('invalid-input', result.problem)
      if (result.imported > 0) ports.changed?.()
      return result
    }
  }
}
