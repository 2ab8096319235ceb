import { createHash } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { z } from 'zod'
import { ValidatedRecordCache } from '../analysis/dataset/readAnnotationJournal.js'
import { readDiscussionsWithAnnotations } from '../analysis/dataset/readDiscussionsWithAnnotations.js'
import { pythonJsonDumps } from '../formats/pythonLiterals.js'
import { toSdfPersona } from '../formats/writeSdfPersona.js'
import type { Annotation, Discussion, Participant } from '../schema/index.js'
import type { WorkspaceProblem } from '../workspace/jsonCollection.js'
import type { Workspace } from '../workspace/workspace.js'
import { csvTableWriter } from './csvTableWriter.js'
import { writeDataDictionary } from './dataDictionary.js'
import { annotatorExtraKeys, scanForExport } from './exportScan.js'
import { exportTableSpecs, tableDefinition, type FlatRow, type TableSpec } from './exportTableSpecs.js'
import { flatRowWriter } from './flatRowWriter.js'
import { jsonlTableWriter } from './jsonlTableWriter.js'
import { openParquetTableWriters, type ParquetTableWriters } from './parquetTableWriters.js'
import type { CellValue, TableDefinition } from './tableColumn.js'
import type { TableWriter } from './tableWriter.js'

export const TableFormatSchema = z.enum(['csv', 'jsonl', 'parquet'])
export type TableFormat = z.infer<typeof TableFormatSchema>

export interface ExportProgress {
  /** scan: learning the columns; write: the rows; finish: closing files (Parquet: DuckDB writing them). */
  phase: 'scan' | 'write' | 'finish'
  done: number
  total: number
}

export interface ExportTablesOptions {
  format: TableFormat
  outFolder: string
  discussionIds?: readonly string[]
  onProgress?: (progress: ExportProgress) => void
}

export interface ExportTablesResult {
  folder: string
  format: TableFormat
  tables: { name: string; file: string; rows: number }[]
  dataDictionary: string[]
  problems: WorkspaceProblem[]
}

/** md5 hex of `${conv_id}_${message}`: SynDisco ≥ 2.0.4's message_id, stable across runs and machines. */
export function sdfMessageId(conversationId: string, message: string): string {
  return createHash('md5').update(`${conversationId}_${message}`, 'utf8').digest('hex')
}

/**
 * Writes a workspace as long tables (discussions, comments, participants, annotations, annotators)
 * plus SynDisco's flat joined table (`sdf_flat`) and a data dictionary, in CSV, JSONL or Parquet,
 * as `<outFolder>/<table>.<ext>`. Two streaming passes over the workspace: the first learns the
 * columns that depend on the data (conditions, labels and their types, participants' persona
 * attributes), the second validates and writes rows as it reads, so memory stays flat however
 * large the workspace. The annotators table, whose columns depend on the annotators the rows name,
 * is written last.
 */
export async function exportTables(workspace: Workspace, options: ExportTablesOptions): Promise<ExportTablesResult> {
  const format = TableFormatSchema.parse(options.format)
  await mkdir(options.outFolder, { recursive: true })
  const cache = new ValidatedRecordCache()
  const scan = await scanForExport(workspace, {
    ...(options.discussionIds ? { discussionIds: options.discussionIds } : {}),
    onProgress: (done, total) => options.onProgress?.({ phase: 'scan', done, total })
  })
  const specs = exportTableSpecs(scan)
  const order = [specs.discussions, specs.participants, specs.comments, specs.annotations, specs.annotators, specs.sdf_flat] as const
  const definitions = order.map((spec) => tableDefinition(spec as TableSpec<never>))
  let parquet: ParquetTableWriters | undefined
  const writers = new Map<string, TableWriter>()
  const open = (definition: TableDefinition): TableWriter => {
    const writer =
      format === 'csv'
        ? csvTableWriter(options.outFolder, definition)
        : format === 'jsonl'
          ? jsonlTableWriter(options.outFolder, definition)
          : parquet!.writer(options.outFolder, definition)
    writers.set(definition.name, writer)
    return writer
  }
  try {
    if (format === 'parquet') parquet = await openParquetTableWriters()
    // The annotators table is opened last: its columns depend on the annotators the rows name.
    for (const definition of definitions) if (definition.name !== specs.annotators.name) open(definition)
    // Returns a promise only when the file stream is behind: most rows cost no await at all.
    const put = <C>(spec: TableSpec<C>, context: C): Promise<void> | undefined => {
      const row = new Array<CellValue>(spec.columns.length)
      for (let i = 0; i < spec.columns.length; i++) row[i] = spec.columns[i]!.get(context)
      return writers.get(spec.name)!.writeRow(row)
    }
    const putFlat = flatRowWriter(specs.sdf_flat, writers.get(specs.sdf_flat.name)!)
    const problems = [...scan.problems]
    let done = 0
    let wait: Promise<void> | undefined
    for await (const { discussion, annotations } of readDiscussionsWithAnnotations(workspace, {
      discussionIds: scan.discussionIds,
      cache,
      onProblem: (problem) => problems.push(problem)
    })) {
      if ((wait = put(specs.discussions, { discussion, annotations: annotations.length }))) await wait
      for (const participant of discussion.participants) if ((wait = put(specs.participants, { discussion, participant }))) await wait
      for (const comment of discussion.comments) if ((wait = put(specs.comments, { discussion, comment }))) await wait
      for (const annotation of annotations) {
        if ((wait = put(specs.annotations, { annotation, annotatorId: scan.annotators.idOf(annotation.annotator) }))) await wait
      }
      for (const row of flatRows(discussion, annotations)) if ((wait = putFlat(row))) await wait
      options.onProgress?.({ phase: 'write', done: ++done, total: scan.discussionIds.length })
    }
    for (const annotation of scan.unlinked) {
      if ((wait = put(specs.annotations, { annotation, annotatorId: scan.annotators.idOf(annotation.annotator) }))) await wait
    }
    const annotatorsSpec = exportTableSpecs({ ...scan, annotatorExtraKeys: annotatorExtraKeys(scan.annotators) }).annotators
    definitions[order.indexOf(specs.annotators)] = tableDefinition(annotatorsSpec as TableSpec<never>)
    open(tableDefinition(annotatorsSpec as TableSpec<never>))
    for (const row of scan.annotators.list()) if ((wait = put(annotatorsSpec, row))) await wait
    const tables: ExportTablesResult['tables'] = []
    let closed = 0
    for (const definition of definitions) {
      options.onProgress?.({ phase: 'finish', done: closed, total: definitions.length })
      const writer = writers.get(definition.name)!
      const result = await writer.close()
      writers.delete(definition.name)
      tables.push({ name: definition.name, ...result })
      closed += 1
    }
    options.onProgress?.({ phase: 'finish', done: closed, total: closed })
    const dictionary = await writeDataDictionary(options.outFolder, definitions)
    return { folder: options.outFolder, format, tables, dataDictionary: dictionary, problems }
  } finally {
    for (const writer of writers.values()) await writer.abort()
    await parquet?.close()
  }
}

/**
 * The speaker's prompt as SynDisco's conversation files carry it (`toSdfConversation`): the stored
 * system prompt, or SynDisco 2.0's JSON prompt built from the persona. Computed here, once per
 * speaker, because `toSdfConversation` deep-copies the whole discussion; a test holds the two equal.
 */
function promptOf(participant: Participant, context: string | null, cache: Map<string, string | null>): string | null {
  let prompt = cache.get(participant.username)
  if (prompt === undefined) {
    prompt =
      participant.system_prompt ??
      pythonJsonDumps({ context: context ?? '', instructions: '', type: '1', persona: toSdfPersona(participant.persona) })
    cache.set(participant.username, prompt)
  }
  return prompt
}

/**
 * SynDisco's flat rows for one discussion: a left join of comments and annotations, every comment
 * once per annotation of it (or once with empty annotation columns), in log order. message_order
 * follows SynDisco: it steps whenever message_id differs from the previous row's, so identical
 * consecutive texts share a number, as they did there.
 */
export function* flatRows(discussion: Discussion, annotations: readonly Annotation[]): Generator<FlatRow> {
  const byComment = new Map<number, Annotation[]>()
  for (const annotation of annotations) {
    if (annotation.comment_index === null) continue
    const list = byComment.get(annotation.comment_index) ?? []
    list.push(annotation)
    byComment.set(annotation.comment_index, list)
  }
  const speakers = new Map(discussion.participants.map((participant) => [participant.username, participant]))
  const prompts = new Map<string, string | null>()
  let order = 0
  let previousId: string | undefined
  for (const comment of discussion.comments) {
    const messageId = sdfMessageId(discussion.id, comment.text)
    if (messageId !== previousId) order += 1
    previousId = messageId
    const speaker = speakers.get(comment.author)
    const base = {
      discussion,
      comment,
      speaker,
      userPrompt: speaker ? promptOf(speaker, discussion.context, prompts) : null,
      messageId,
      messageOrder: order
    }
    const commentAnnotations = byComment.get(comment.index)
    if (!commentAnnotations) yield { ...base, annotation: undefined }
    else for (const annotation of commentAnnotations) yield { ...base, annotation }
  }
}
