import { createHash } from 'node:crypto'
import { canonicalJson } from '../canonicalJson.js'
import { readDiscussionsWithAnnotations } from '../analysis/dataset/readDiscussionsWithAnnotations.js'
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
  counts: { discussions: number; comments: number; participants: number; annotations: number }
  problems: WorkspaceProblem[]
}

/**
 * Distinct annotators get a stable id from their content (name, kind, model, prompt, persona), so
 * the same annotator has the same id in every export of every workspace.
 */
export class AnnotatorRegistry {
  private readonly byName = new Map<string, { annotator: Annotator; personaJson: string; id: string; count: number }[]>()

  /** The annotator's id, registering it on first sight. */
  idOf(annotator: Annotator, count = true): string {
    let entries = this.byName.get(annotator.name)
    if (!entries) this.byName.set(annotator.name, (entries = []))
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

export async function scanForExport(
  workspace: Workspace,
  options: { discussionIds?: readonly string[]; onProgress?: (done: number, total: number) => void } = {}
): Promise<ExportScan> {
  const discussionIds = [...(options.discussionIds ?? (await workspace.discussions.ids()))]
  const conditionKeys = new Set<string>()
  const participantExtraKeys = new Set<string>()
  const annotatorExtraKeys = new Set<string>()
  const labelKinds = new Map<string, Set<'integer' | 'float' | 'boolean' | 'string'>>()
  const annotators = new AnnotatorRegistry()
  const problems: WorkspaceProblem[] = []
  const counts = { discussions: 0, comments: 0, participants: 0, annotations: 0 }
  const seeAnnotation = (annotation: Annotation): void => {
    counts.annotations += 1
    annotators.idOf(annotation.annotator)
    addExtraKeys(annotatorExtraKeys, annotation.annotator.persona)
    for (const [label, value] of Object.entries(annotation.values)) {
      let kinds = labelKinds.get(label)
      if (!kinds) labelKinds.set(label, (kinds = new Set()))
      if (value === null) continue
      if (typeof value === 'number') kinds.add(Number.isSafeInteger(value) ? 'integer' : 'float')
      else if (typeof value === 'boolean') kinds.add('boolean')
      else kinds.add('string')
    }
  }
  for await (const { discussion, annotations } of readDiscussionsWithAnnotations(workspace, {
    discussionIds,
    onProblem: (problem) => problems.push(problem)
  })) {
    counts.discussions += 1
    counts.comments += discussion.comments.length
    counts.participants += discussion.participants.length
    for (const key of Object.keys(discussion.conditions)) conditionKeys.add(key)
    for (const participant of discussion.participants) addExtraKeys(participantExtraKeys, participant.persona)
    for (const annotation of annotations) seeAnnotation(annotation)
    options.onProgress?.(counts.discussions, discussionIds.length)
  }
  const unlinkedListing = options.discussionIds ? { annotations: [], problems: [] } : await workspace.annotations.listUnlinked()
  for (const annotation of unlinkedListing.annotations) seeAnnotation(annotation)
  for (const problem of unlinkedListing.problems) problems.push({ file: problem.file, message: `line ${problem.line}: ${problem.message}` })
  return {
    discussionIds,
    conditionKeys: [...conditionKeys].sort(compareText),
    participantExtraKeys: [...participantExtraKeys].sort(compareText),
    annotatorExtraKeys: [...annotatorExtraKeys].sort(compareText),
    labels: [...labelKinds.entries()].sort(([a], [b]) => compareText(a, b)).map(([name, kinds]) => ({ name, type: labelType(kinds) })),
    annotators,
    unlinked: unlinkedListing.annotations,
    counts,
    problems
  }
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
