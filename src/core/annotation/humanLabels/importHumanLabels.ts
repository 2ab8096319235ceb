import { createHash } from 'node:crypto'
import { basename } from 'node:path'
import { shortHash } from '../../import/contentIds.js'
import { IdSchema, type Annotation, type AnnotatorSpec, type Label } from '../../schema/index.js'
import type { Workspace } from '../../workspace/workspace.js'
import { parseHumanLabelCsv, type HumanLabelRow, type RejectedLabelRow } from './humanLabelCsv.js'
import { HumanLabelImportError } from './humanLabelImportError.js'
import { typedLabelValue, untypedLabelValue, type HumanLabelValue } from './humanLabelValue.js'

/** A whole bad file must not make a report of megabytes: the count is exact, the list stops here. */
export const REJECTED_ROWS_LISTED = 1000

export interface ImportHumanLabelsOptions {
  /** Named in messages and kept as the annotations' source file (its base name). */
  fileName: string
  /** Check every value against this annotator spec's labels and record it as the annotations' spec. */
  annotatorSpecId?: string
}

export interface HumanLabelImportReport {
  file: string
  annotator_spec_id: string | null
  /** Non-blank records after the header. */
  rows_read: number
  /** Annotations added to the workspace. */
  imported: number
  /** Rows whose identical annotation the workspace already held (a file imported twice). */
  already_present: number
  rejected_count: number
  /** The first REJECTED_ROWS_LISTED rejected rows, by file line (header = line 1). */
  rejected: RejectedLabelRow[]
  labels: string[]
  annotators: string[]
  discussions: number
}

/**
 * Human labels from a CSV (one row per annotator × comment) into the workspace's annotation
 * journals, as annotator kind `human`, so they sit beside LLM labels of the same comments and feed
 * the same agreement coefficients. Every row is checked (its discussion is in the workspace, its
 * comment exists, with a spec its values fit the labels, it is not repeated) and a bad row is
 * rejected with its line and the reason while the others are imported. A row's annotation id comes
 * from annotator, discussion and comment, so importing the same file again adds nothing, and
 * a different value for a comment the same person already labelled is rejected, never overwritten.
 */
export async function importHumanLabels(
  workspace: Workspace,
  bytes: Uint8Array,
  options: ImportHumanLabelsOptions
): Promise<HumanLabelImportReport> {
  const file = basename(options.fileName)
  const spec = options.annotatorSpecId === undefined ? undefined : await loadSpec(workspace, options.annotatorSpecId)
  const csv = parseHumanLabelCsv(bytes, file)
  const specLabels = spec ? new Map(spec.labels.map((label) => [label.name, label])) : undefined
  if (spec && specLabels) {
    const unknown = csv.labels.filter((name) => !specLabels.has(name))
    if (unknown.length > 0) {
      throw new HumanLabelImportError(
        `${file}: ${unknown.map((name) => `"${name}"`).join(', ')} ${unknown.length === 1 ? 'is not a label' : 'are not labels'} ` +
          `of annotator spec "${spec.id}" (its labels: ${spec.labels.map((label) => label.name).join(', ') || 'none'}); ` +
          'rename or remove the column, or import without --annotator-spec'
      )
    }
  }
  const rejected: RejectedLabelRow[] = [...csv.rejected]
  const source = {
    file,
    format: 'human-labels-csv' as const,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    imported_at: new Date().toISOString()
  }
  const commentCounts = new Map<string, number | string>()
  const firstLineOf = new Map<string, number>()
  const accepted = new Map<string, { line: number; annotation: Annotation }[]>()
  for (const row of csv.rows) {
    const problem = await rowProblem(workspace, row, commentCounts)
    if (problem !== undefined) {
      rejected.push({ line: row.line, reason: problem })
      continue
    }
    const values = rowValues(row, specLabels)
    if ('problem' in values) {
      rejected.push({ line: row.line, reason: values.problem })
      continue
    }
    const key = JSON.stringify([row.annotator, row.discussionId, row.commentIndex])
    const earlier = firstLineOf.get(key)
    if (earlier !== undefined) {
      rejected.push({
        line: row.line,
        reason: `repeats line ${earlier}: ${row.annotator} labels comment ${row.commentIndex} of discussion ${row.discussionId} twice; keep one row`
      })
      continue
    }
    firstLineOf.set(key, row.line)
    const annotation: Annotation = {
      id: humanAnnotationId(row.annotator, row.discussionId, row.commentIndex),
      discussion_id: row.discussionId,
      comment_index: row.commentIndex,
      position: row.line - 2,
      quoted_text: null,
      quoted_author: null,
      annotator: { name: row.annotator, kind: 'human', model: null, prompt: null, persona: null, spec_id: spec?.id ?? null },
      values: values.values,
      raw_text: Object.entries(row.cells)
        .map(([label, text]) => `${label}=${text}`)
        .join('\n'),
      parsed: true,
      created_at: row.createdAt,
      source
    }
    const list = accepted.get(row.discussionId) ?? []
    list.push({ line: row.line, annotation })
    accepted.set(row.discussionId, list)
  }

  let imported = 0
  let alreadyPresent = 0
  for (const [discussionId, entries] of accepted) {
    // Any human label of the same coder and comment counts, whatever made it (this import, or a
    // label saved in the app under another id); the latest in the journal is the one that stands.
    const stored = new Map<string, Annotation>()
    for (const annotation of (await workspace.annotations.list(discussionId)).annotations) {
      if (annotation.annotator.kind === 'human' && annotation.comment_index !== null) {
        stored.set(coderKey(annotation.annotator.name, annotation.comment_index), annotation)
      }
    }
    const fresh: Annotation[] = []
    for (const { line, annotation } of entries) {
      const existing = stored.get(coderKey(annotation.annotator.name, annotation.comment_index!))
      if (!existing) fresh.push(annotation)
      else if (sameValues(existing.values, annotation.values)) alreadyPresent += 1
      else {
        rejected.push({
          line,
          reason:
            `${annotation.annotator.name} already labelled comment ${annotation.comment_index} of discussion ${discussionId} ` +
            `differently in this workspace (${describeValues(existing.values)}; this row: ${describeValues(annotation.values)}); ` +
            'stored labels are never overwritten: fix the row or label under another annotator name'
        })
      }
    }
    imported += await workspace.annotations.append(discussionId, fresh)
  }
  rejected.sort((a, b) => a.line - b.line)
  const kept = [...accepted.values()].flat().map(({ annotation }) => annotation)
  return {
    file,
    annotator_spec_id: spec?.id ?? null,
    rows_read: csv.rowsRead,
    imported,
    already_present: alreadyPresent,
    rejected_count: rejected.length,
    rejected: rejected.slice(0, REJECTED_ROWS_LISTED),
    labels: csv.labels,
    annotators: [...new Set(kept.map((annotation) => annotation.annotator.name))].sort(),
    discussions: accepted.size
  }
}

/**
 * Stable per (annotator, discussion, comment), like LLM annotation ids, and never equal to one. The
 * spec is left out on purpose: one person's label of one comment is one annotation however it was
 * imported, so agreement never sees the same coder twice on a comment.
 */
export function humanAnnotationId(annotator: string, discussionId: string, commentIndex: number): string {
  return `human-${shortHash(`${annotator}\u0000${discussionId}`, 16)}-${commentIndex}`
}

async function loadSpec(workspace: Workspace, id: string): Promise<AnnotatorSpec> {
  if (!IdSchema.safeParse(id).success) throw new HumanLabelImportError(`"${id}" is not an annotator spec id`)
  let spec: AnnotatorSpec | undefined
  try {
    spec = await workspace.annotators.get(id)
  } catch (error) {
    throw new HumanLabelImportError(`annotator spec "${id}" cannot be read: ${(error as Error).message}`)
  }
  if (!spec) {
    const known = await workspace.annotators.ids()
    throw new HumanLabelImportError(
      `the workspace has no annotator spec "${id}"` + (known.length > 0 ? ` (it has: ${known.join(', ')})` : '')
    )
  }
  if (spec.labels.length === 0) {
    throw new HumanLabelImportError(`annotator spec "${id}" declares no labels, so values cannot be checked against it`)
  }
  return spec
}

/**
 * Why the row's comment cannot be labelled, or undefined. Each discussion is read once per import;
 * the cache holds its comment count, or the reason it cannot be used.
 */
async function rowProblem(workspace: Workspace, row: HumanLabelRow, counts: Map<string, number | string>): Promise<string | undefined> {
  let count = counts.get(row.discussionId)
  if (count === undefined) {
    count = await commentCountOf(workspace, row.discussionId)
    counts.set(row.discussionId, count)
  }
  if (typeof count === 'string') return count
  if (row.commentIndex >= count) {
    return (
      `comment_index ${row.commentIndex} is out of range: discussion ${row.discussionId} has ${count} comment${count === 1 ? '' : 's'}` +
      (count > 0 ? ` (0–${count - 1})` : '')
    )
  }
  return undefined
}

async function commentCountOf(workspace: Workspace, discussionId: string): Promise<number | string> {
  const unknown = `discussion "${discussionId}" is not in the workspace; import or generate it first, or fix the id`
  if (!IdSchema.safeParse(discussionId).success) return unknown
  try {
    const discussion = await workspace.discussions.get(discussionId)
    return discussion ? discussion.comments.length : unknown
  } catch (error) {
    return `discussion "${discussionId}" cannot be read (${(error as Error).message}); repair its file first`
  }
}

function rowValues(
  row: HumanLabelRow,
  labels: ReadonlyMap<string, Label> | undefined
): { values: Record<string, HumanLabelValue> } | { problem: string } {
  const values: Record<string, HumanLabelValue> = {}
  const problems: string[] = []
  for (const [name, text] of Object.entries(row.cells)) {
    const label = labels?.get(name)
    if (!label) {
      values[name] = untypedLabelValue(text)
      continue
    }
    const typed = typedLabelValue(label, text)
    if ('problem' in typed) problems.push(typed.problem)
    else values[name] = typed.value
  }
  return problems.length > 0 ? { problem: problems.join('; ') } : { values }
}

function coderKey(annotator: string, commentIndex: number): string {
  return `${commentIndex}\u0000${annotator}`
}

function sameValues(a: Annotation['values'], b: Annotation['values']): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((key) => Object.is(a[key], b[key]))
}

function describeValues(values: Annotation['values']): string {
  return Object.entries(values)
    .map(([label, value]) => `${label}=${String(value)}`)
    .join(', ')
}
