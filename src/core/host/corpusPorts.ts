import { browseCorpus, type CorpusPage } from '../corpus/browseCorpus.js'
import type { CorpusInfo } from '../corpus/corpus.js'
import type { CorpusColumnRequest } from '../corpus/corpusColumns.js'
import { CorpusError } from '../corpus/corpusError.js'
import type { CorpusImportReport } from '../corpus/corpusImportReport.js'
import { corpusToDiscussions } from '../corpus/corpusToDiscussions.js'
import { listCorpora, loadCorpus } from '../corpus/corpusStore.js'
import { importCorpusBytes } from '../corpus/importCorpus.js'
import type { Workspace } from '../workspace/workspace.js'

/** The column mapping as the contract names it (the Conversations Gone Awry headers). */
export interface CorpusMappingPort {
  conv_id?: string | undefined
  message_id?: string | undefined
  reply_to?: string | null | undefined
  user?: string | undefined
  text?: string | undefined
  flag?: string | null | undefined
  timestamp?: string | null | undefined
}

export interface CorpusImportPortInput {
  fileName: string
  /** The file's bytes. */
  bytes: Uint8Array
  name: string
  format?: 'csv' | 'jsonl' | undefined
  mapping?: CorpusMappingPort | undefined
  replace: boolean
  discussions: boolean
}

/** A corpus as `corpus.list` answers it: the metadata, without the comments. */
export interface CorpusSummaryPort {
  id: string
  name: string
  importedAt: string
  fileName: string
  format: 'csv' | 'jsonl'
  sha256: string
  columns: CorpusInfo['columns']
  counts: CorpusInfo['counts']
  rejected: number
  warnings: number
}

/** The import failed, with the report of what was read (a file with no usable row). */
export class CorpusImportFailure extends Error {
  override readonly name = 'CorpusImportFailure'
  constructor(
    message: string,
    readonly report: CorpusImportReport | undefined
  ) {
    super(message)
  }
}

function summary(info: CorpusInfo): CorpusSummaryPort {
  return {
    id: info.id,
    name: info.name,
    importedAt: info.imported_at,
    fileName: info.source.file,
    format: info.source.format,
    sha256: info.source.sha256,
    columns: info.columns,
    counts: info.counts,
    rejected: info.report.rejected_count,
    warnings: info.report.warning_count
  }
}

function columnRequest(mapping: CorpusMappingPort | undefined): CorpusColumnRequest {
  const request: CorpusColumnRequest = {}
  if (mapping === undefined) return request
  if (mapping.conv_id !== undefined) request.conversation = mapping.conv_id
  if (mapping.message_id !== undefined) request.id = mapping.message_id
  if (mapping.reply_to !== undefined) request.reply_to = mapping.reply_to
  if (mapping.user !== undefined) request.author = mapping.user
  if (mapping.text !== undefined) request.text = mapping.text
  if (mapping.flag !== undefined) request.flag = mapping.flag
  if (mapping.timestamp !== undefined) request.timestamp = mapping.timestamp
  return request
}

/**
 * Core's corpora as the ports of shared's `createCorpusMethods`: importing an uploaded file with a
 * column mapping (report of rows imported and rejected), listing, and browsing threads.
 */
export function createCorpusPorts(options: { workspace(): Workspace | null }) {
  function workspace(): Workspace {
    const current = options.workspace()
    if (current === null) throw new Error('no workspace is open')
    return current
  }

  return {
    hasWorkspace: () => options.workspace() !== null,

    describeError(error: unknown): { code: 'invalid-input' | 'not-found'; message: string; details?: unknown } | null {
      if (error instanceof CorpusImportFailure) {
        return { code: 'invalid-input', message: error.message, ...(error.report ? { details: { report: error.report } } : {}) }
      }
      if (error instanceof CorpusError) {
        return { code: /^no corpus "|has no conversation "/.test(error.message) ? 'not-found' : 'invalid-input', message: error.message }
      }
      return null
    },

    async importCorpus(input: CorpusImportPortInput): Promise<{ corpus: CorpusSummaryPort; report: CorpusImportReport; discussions: number }> {
      const current = workspace()
      let imported: Awaited<ReturnType<typeof importCorpusBytes>>
      try {
        imported = await importCorpusBytes(current, input.bytes, {
          name: input.name,
          file: input.fileName,
          columns: columnRequest(input.mapping),
          ...(input.format ? { format: input.format } : {}),
          replace: input.replace
        })
      } catch (error) {
        if (error instanceof CorpusError) {
          // The CLI's advice names its flags; the UI has a checkbox and a mapping dialog instead.
          const message = error.message.replace('(--replace)', '(tick "replace")').replace(/choose another with --[a-z-]+/g, 'map it to another column')
          throw new CorpusImportFailure(message, error.report)
        }
        throw error
      }
      let discussions = 0
      if (input.discussions) {
        for (const discussion of corpusToDiscussions(imported.corpus)) {
          await current.discussions.put(discussion)
          discussions += 1
        }
      }
      return { corpus: summary(imported.corpus.info), report: imported.report, discussions }
    },

    async list(): Promise<{ items: CorpusSummaryPort[]; problems: { file: string; message: string }[] }> {
      const { items, problems } = await listCorpora(workspace())
      return { items: items.map(summary), problems: problems.map((problem) => ({ file: problem.file, message: problem.message })) }
    },

    async browse(corpusId: string, page: { offset: number; limit: number; threadId?: string | undefined }): Promise<CorpusPage & { corpus: CorpusSummaryPort }> {
      const corpus = await loadCorpus(workspace(), corpusId)
      return { corpus: summary(corpus.info), ...browseCorpus(corpus, page) }
    }
  }
}

export type CorpusPorts = ReturnType<typeof createCorpusPorts>
