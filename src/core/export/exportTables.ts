import { createHash } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { z } from 'zod'
import { readDiscussionsWithAnnotations } from '../analysis/dataset/readDiscussionsWithAnnotations.js'
import { toSdfConversation } from '../formats/writeSdfConversation.js'
import type { Annotation, Discussion } from '../schema/index.js'
import type { WorkspaceProblem } from '../workspace/jsonCollection.js'
import type { Workspace } from '../workspace/workspace.js'
import { csvTableWriter } from './csvTableWriter.js'
import { writeDataDictionary } from './dataDictionary.js'
import { scanForExport, type AnnotatorRegistry } from './exportScan.js'
import { exportTableSpecs, tableDefinition, type FlatRow, type TableSpec } from './exportTableSpecs.js'
import { jsonlTableWriter } from './jsonlTableWriter.js'
import { openParquetTableWriters, type ParquetTableWriters } from './parquetTableWriters.js'
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
 * columns that depend on the data (conditions, labels and their types, persona attributes,
 * annotators), the second writes rows as it reads, so memory stays flat however large the
 * workspace.
 */
export async function exportTables(workspace: Workspace, options: ExportTablesOptions): Promise<ExportTablesResult> {
  const format = TableFormatSchema.parse(options.format)
  await mkdir(options.outFolder, { recursive: true })
  const scan = await scanForExport(workspace, {
    ...(options.discussionIds ? { discussionIds: options.discussionIds } : {}),
    onProgress: (done, total) => options.onProgress?.({ phase: 'scan', done, total })
  })
  const specs = exportTableSpecs(scan)
  const order = [specs.discussions, specs.participants, specs.comments, specs.annotations, specs.annotators, specs.sdf_flat] as const
  const definitions = order.map((spec) => tableDefinition(spec as TableSpec<never>))
  let parquet: ParquetTableWriters | undefined
  const writers = new Map<string, TableWriter>()
  try {
    if (format === 'parquet') parquet = await openParquetTableWriters()
    for (const definition of definitions) {
      const writer =
        format === 'csv'
          ? csvTableWriter(options.outFolder, definition)
          : format === 'jsonl'
            ? jsonlTableWriter(options.outFolder, definition)
            : await parquet!.writer(options.outFolder, definition)
      writers.set(definition.name, writer)
    }
    const write = async <C>(spec: TableSpec<C>, context: C): Promise<void> => {
      const row = new Array(spec.columns.length)
      for (let i = 0; i < spec.columns.length; i++) row[i] = spec.columns[i]!.get(context)
      const wait = writers.get(spec.name)!.writeRow(row)
      if (wait) await wait
    }
    const problems = [...scan.problems]
    let done = 0
    for await (const { discussion, annotations } of readDiscussionsWithAnnotations(workspace, {
      discussionIds: scan.discussionIds,
      onProblem: (problem) => problems.push(problem)
    })) {
      await write(specs.discussions, { discussion, annotations: annotations.length })
      for (const participant of discussion.participants) await write(specs.participants, { discussion, participant })
      for (const comment of discussion.comments) await write(specs.comments, { discussion, comment })
      for (const annotation of annotations) {
        await write(specs.annotations, { annotation, annotatorId: scan.annotators.idOf(annotation.annotator, false) })
      }
      for (const row of flatRows(discussion, annotations)) await write(specs.sdf_flat, row)
      options.onProgress?.({ phase: 'write', done: ++done, total: scan.discussionIds.length })
    }
    for (const annotation of scan.unlinked) {
      await write(specs.annotations, { annotation, annotatorId: scan.annotators.idOf(annotation.annotator, false) })
    }
    for (const row of annotatorRows(scan.annotators)) await write(specs.annotators, row)
    const tables: ExportTablesResult['tables'] = []
    let closed = 0
    for (const [name, writer] of writers) {
      options.onProgress?.({ phase: 'finish', done: closed, total: writers.size })
      const result = await writer.close()
      writers.delete(name)
      tables.push({ name, ...result })
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

function annotatorRows(registry: AnnotatorRegistry) {
  return registry.list()
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
  // The same prompts SynDisco's export files carry; comments and extras are left out of the
  // conversion because it deep-copies them and only the prompts are needed here.
  const sdf = toSdfConversation({ ...discussion, comments: [], extra: {} })
  const prompts = new Map<string, string>()
  sdf.users.forEach((user, index) => prompts.set(user, sdf.user_prompts[index]!))
  if (sdf.moderator !== null && sdf.moderator_prompt !== null) prompts.set(sdf.moderator, sdf.moderator_prompt)
  const speakers = new Map(discussion.participants.map((participant) => [participant.username, participant]))
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
      userPrompt: speaker ? (prompts.get(speaker.username) ?? null) : null,
      messageId,
      messageOrder: order
    }
    const commentAnnotations = byComment.get(comment.index)
    if (!commentAnnotations) yield { ...base, annotation: undefined }
    else for (const annotation of commentAnnotations) yield { ...base, annotation }
  }
}
