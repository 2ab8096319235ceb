import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { extname, resolve } from 'node:path'
import type { Workspace } from '../workspace/workspace.js'
import type { Corpus } from './corpus.js'
import type { CorpusColumnRequest } from './corpusColumns.js'
import { CorpusError } from './corpusError.js'
import { corpusIdFromName } from './corpusIdFromName.js'
import type { CorpusImportReport } from './corpusImportReport.js'
import { hasCorpus, saveCorpus } from './corpusStore.js'
import { parseCorpus, type CorpusFormat } from './parseCorpus.js'

export interface ImportCorpusOptions {
  /** The corpus's name; its id is derived from it (`CMV awry` → `cmv-awry`). */
  name: string
  /** By default `.jsonl`/`.ndjson` files are JSONL and everything else CSV. */
  format?: CorpusFormat
  columns?: CorpusColumnRequest
  /** Replace a stored corpus with the same id instead of refusing. */
  replace?: boolean
  /** For tests; defaults to now. */
  importedAt?: Date
}

export function corpusFormatOf(path: string): CorpusFormat {
  return ['.jsonl', '.ndjson'].includes(extname(path).toLowerCase()) ? 'jsonl' : 'csv'
}

/**
 * Reads a file of comment threads and stores it as a corpus. Throws a CorpusError (with the report
 * when rows were read) when the file cannot be read, lacks a column, yields no comment, or would
 * replace a corpus without `replace`.
 */
export async function importCorpus(
  workspace: Workspace,
  path: string,
  options: ImportCorpusOptions
): Promise<{ corpus: Corpus; report: CorpusImportReport }> {
  const file = resolve(path)
  refuseExisting(await hasCorpus(workspace, corpusIdFromName(options.name)), options)
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (error) {
    throw new CorpusError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  return importCorpusBytes(workspace, bytes, { ...options, file, format: options.format ?? corpusFormatOf(file) })
}

/**
 * Stores a corpus from a file's contents (an upload: the host never sees the user's path). `file`
 * is the name the report and the provenance give it. Throws as `importCorpus` does.
 */
export async function importCorpusBytes(
  workspace: Workspace,
  bytes: Uint8Array,
  options: ImportCorpusOptions & { file: string }
): Promise<{ corpus: Corpus; report: CorpusImportReport }> {
  const id = corpusIdFromName(options.name)
  refuseExisting(await hasCorpus(workspace, id), options)
  const { file } = options
  const format = options.format ?? corpusFormatOf(file)
  const { columns, comments, report } = parseCorpus(bytes, { file, format, ...(options.columns ? { columns: options.columns } : {}) })
  if (comments.length === 0) {
    throw new CorpusError(`no comment could be read from ${file}; every row was empty or rejected (see the report)`, report)
  }
  const corpus: Corpus = {
    info: {
      id,
      name: options.name.trim(),
      imported_at: (options.importedAt ?? new Date()).toISOString(),
      source: { file, format, sha256: createHash('sha256').update(bytes).digest('hex') },
      columns,
      counts: { conversations: report.conversations, comments: report.comments, flagged: report.flagged },
      report
    },
    comments
  }
  await saveCorpus(workspace, corpus)
  return { corpus, report }
}

function refuseExisting(exists: boolean, options: ImportCorpusOptions): void {
  if (exists && !options.replace) {
    throw new CorpusError(
      `the workspace already has a corpus "${corpusIdFromName(options.name)}"; choose another name or replace it (--replace)`
    )
  }
}
