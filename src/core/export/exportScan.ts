import { createHash } from 'node:crypto'
import type { ValidatedRecordCache } from '../analysis/dataset/readAnnotationJournal.js'
import { readWorkspaceFile } from '../analysis/dataset/readWorkspaceFile.js'
import { canonicalJson } from '../canonicalJson.js'
import type { Annotation, Annotator, PersonaSnapshot } from '../schema/index.js'
import type { WorkspaceProblem } from '../workspace/jsonCollection.js'
import type { Workspace } from '../workspace/workspace.js'
import type { ColumnType } from './tableColumn.js'

/** What the first pass over a workspace learns: the columns that depend on the data. */
export interface ExportScan {
  discussionIds: string[]
  conditionKeys: string[]
  /** Extra persona attributes of participants, beyond SDF's fields. */
  participantExtraKeys: string[]
  annotatorExtraKeys: string[]
  labels: { name: string; type: ColumnType }[]
  annotators: AnnotatorRegistry
  unlinked: Annotation[]
  problems: WorkspaceProblem[]
}

/**
 * Distinct annotators get a stable id from their content (name, kind, model, prompt, persona), so
 * the same annotator has the same id in every export of every workspace.
 */
export class AnnotatorRegistry {
  private readonly byName = new Map<string, { annotator: Annotator; personaJson: string; id: string; count: number }[]>()

  /** The annotator's id, registering it on first sight; `count` adds one to its annotations. */
  idOf(annotator: Annotator, count = true): string {
    let entries = this.byName.get(annotator.name)
    if (!entries) this.byName.set(annotator.name, (entries = []))
    // Annotators read through one ValidatedRecordCache are the same objects: no JSON needed.
    for (const entry of entries) {
      if (entry.annotator === annotator) {
        if (count) entry.count += 1
        return entry.id
      }
    }
    const personaJson = annotator.persona === null ? '' : JSON.stringify(annotator.persona)
    for (const entry of entries) {
      const known = entry.annotator
      if (
        known.kind === annotator.kind &&
        known.model === annotator.model &&
        known.prompt === annotator.prompt &&
        known.spec_id === annotator.spec_id &&
        entry.personaJson === personaJson
      ) {
        if (count) entry.count += 1
        return entry.id
      }
    }
    const id = `annotator-${createHash('sha256').update(canonicalJson(annotator)).digest('hex').slice(0, 16)}`
    entries.push({ annotator, personaJson, id, count: count ? 1 : 0 })
    return id
  }

  list(): { id: string; annotator: Annotator; count: number }[] {
    return [...this.byName.values()]
      .flat()
      .map(({ id, annotator, count }) => ({ id, annotator, count }))
      .sort((a, b) => compareText(a.annotator.name, b.annotator.name) || compareText(a.id, b.id))
  }
}

/**
 * The first export pass: reads every discussion and journal as plain JSON, without validating
 * (the second pass validates, and skips and reports what is invalid), and collects the
 * data-dependent columns. An invalid record can at worst add a column that stays empty.
 */
export async function scanForExport(
  workspace: Workspace,
  options: {
    discussionIds?: readonly string[]
    cache: ValidatedRecordCache
    onProgress?: (done: number, total: number) => void
  }
): Promise<ExportScan> {
  const discussionIds = [...(options.discussionIds ?? (await workspace.discussions.ids()))]
  const conditionKeys = new Set<string>()
  const participantExtraKeys = new Set<string>()
  const annotatorExtraKeys = new Set<string>()
  const labelKinds = new Map<string, Set<'integer' | 'float' | 'boolean' | 'string'>>()
  const annotators = new AnnotatorRegistry()
  const problems: WorkspaceProblem[] = []
  const seeAnnotation = (annotation: unknown): void => {
    if (!isRecord(annotation)) return
    const annotator = options.cache.annotator(annotation['annotator'])
    if (annotator) {
      annotators.idOf(annotator, false)
      addExtraKeys(annotatorExtraKeys, annotator.persona)
    }
    const values = annotation['values']
    if (!isRecord(values)) return
    for (const [label, value] of Object.entries(values)) {
      let kinds = labelKinds.get(label)
      if (!kinds) labelKinds.set(label, (kinds = new Set()))
      if (value === null || value === undefined) continue
      if (typeof value === 'number') kinds.add(Number.isSafeInteger(value) ? 'integer' : 'float')
      else if (typeof value === 'boolean') kinds.add('boolean')
      else kinds.add('string')
    }
  }
  let done = 0
  for (const id of discussionIds) {
    const { discussion, journal } = readRaw(workspace, id)
    if (isRecord(discussion)) {
      const conditions = discussion['conditions']
      if (isRecord(conditions)) for (const key of Object.keys(conditions)) conditionKeys.add(key)
      const participants = discussion['participants']
      if (Array.isArray(participants)) {
        for (const participant of participants) {
          const extra = isRecord(participant) && isRecord(participant['persona']) ? participant['persona']['extra_attributes'] : undefined
          if (isRecord(extra)) for (const key of Object.keys(extra)) participantExtraKeys.add(key)
        }
      }
    }
    for (const line of journal.split('\n')) {
      if (line.trim() === '') continue
      try {
        seeAnnotation(JSON.parse(line))
      } catch {
        // reported by the second pass
      }
    }
    options.onProgress?.(++done, discussionIds.length)
    // The reads are synchronous: let timers and I/O (a progress bar, a UI) run now and then.
    if (done % 200 === 0) await new Promise((resolve) => setImmediate(resolve))
  }
  const unlinkedListing = options.discussionIds ? { annotations: [], problems: [] } : await workspace.annotations.listUnlinked()
  for (const annotation of unlinkedListing.annotations) {
    annotators.idOf(annotation.annotator, false)
    addExtraKeys(annotatorExtraKeys, annotation.annotator.persona)
    seeAnnotation({ values: annotation.values })
  }
  for (const problem of unlinkedListing.problems) problems.push({ file: problem.file, message: `line ${problem.line}: ${problem.message}` })
  return {
    discussionIds,
    conditionKeys: [...conditionKeys].sort(compareText),
    participantExtraKeys: [...participantExtraKeys].sort(compareText),
    annotatorExtraKeys: [...annotatorExtraKeys].sort(compareText),
    labels: [...labelKinds.entries()].sort(([a], [b]) => compareText(a, b)).map(([name, kinds]) => ({ name, type: labelType(kinds) })),
    annotators,
    unlinked: unlinkedListing.annotations,
    problems
  }
}

function readRaw(workspace: Workspace, id: string): { discussion: unknown; journal: string } {
  const journal = readWorkspaceFile(workspace.annotations.linkedPath(id)) ?? ''
  let discussion: unknown
  try {
    discussion = JSON.parse(readWorkspaceFile(workspace.discussions.pathOf(id)) ?? '')
  } catch {
    discussion = undefined // reported by the second pass
  }
  return { discussion, journal }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function addExtraKeys(keys: Set<string>, persona: PersonaSnapshot | null): void {
  if (persona) for (const key of Object.keys(persona.extra_attributes)) keys.add(key)
}

function labelType(kinds: ReadonlySet<string>): ColumnType {
  if (kinds.size === 0) return 'VARCHAR'
  if ([...kinds].every((kind) => kind === 'integer')) return 'BIGINT'
  if ([...kinds].every((kind) => kind === 'integer' || kind === 'float')) return 'DOUBLE'
  if (kinds.size === 1 && kinds.has('boolean')) return 'BOOLEAN'
  return 'VARCHAR'
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
