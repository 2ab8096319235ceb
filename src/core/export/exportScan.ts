import { createHash } from 'node:crypto'
import type { DiscussionFiles } from '../analysis/dataset/readDiscussionsWithAnnotations.js'
import { readWorkspaceBytes, readWorkspaceFile } from '../analysis/dataset/readWorkspaceFile.js'
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
  /** Empty after the scan: annotators are registered as the rows are written (see `annotatorExtraKeys`). */
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
    const entry = this.entryOf(annotator)
    if (count) entry.count += 1
    return entry.id
  }

  /** Forgets every annotator (an export worker starts each batch afresh). */
  clear(): void {
    this.byName.clear()
  }

  /** Adds `count` annotations of an annotator (counted elsewhere: an export worker's batch). */
  add(annotator: Annotator, count: number): void {
    this.entryOf(annotator).count += count
  }

  private entryOf(annotator: Annotator): { annotator: Annotator; personaJson: string; id: string; count: number } {
    let entries = this.byName.get(annotator.name)
    if (!entries) this.byName.set(annotator.name, (entries = []))
    // Annotators read through one ValidatedRecordCache are the same objects: no JSON needed.
    for (const entry of entries) if (entry.annotator === annotator) return entry
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
        return entry
      }
    }
    const id = `annotator-${createHash('sha256').update(canonicalJson(annotator)).digest('hex').slice(0, 16)}`
    const entry = { annotator, personaJson, id, count: 0 }
    entries.push(entry)
    return entry
  }

  list(): { id: string; annotator: Annotator; count: number }[] {
    return [...this.byName.values()]
      .flat()
      .map(({ id, annotator, count }) => ({ id, annotator, count }))
      .sort((a, b) => compareText(a.annotator.name, b.annotator.name) || compareText(a.id, b.id))
  }
}

/**
 * The first export pass: reads every discussion and journal without validating (the second pass
 * validates, and skips and reports what is invalid) and collects the data-dependent columns:
 * condition keys and participants' persona attributes from the discussions, label names and types
 * from the journals. An invalid record can at worst add a column that stays empty. Annotators are
 * not collected here: the annotators table is written after the second pass, from the annotators
 * of the annotations it actually wrote.
 */
export async function scanForExport(
  workspace: Workspace,
  options: {
    discussionIds?: readonly string[]
    /** Whether to include the annotations not linked to a discussion; default: when no discussionIds are given. */
    listUnlinked?: boolean
    onProgress?: (done: number, total: number) => void
  }
): Promise<ExportScan> {
  const discussionIds = [...(options.discussionIds ?? (await workspace.discussions.ids()))]
  const found = new ExportScanAccumulator()
  const problems: WorkspaceProblem[] = []
  const filesOf = (id: string): DiscussionFiles => ({ id, discussion: workspace.discussions.pathOf(id), journal: workspace.annotations.linkedPath(id) })
  let done = 0
  for (const id of discussionIds) {
    found.seeFiles(filesOf(id))
    options.onProgress?.(++done, discussionIds.length)
    // The reads are synchronous: let timers and I/O (a progress bar, a UI) run now and then.
    if (done % 200 === 0) await new Promise((resolve) => setImmediate(resolve))
  }
  const unlinkedListing = (options.listUnlinked ?? !options.discussionIds) ? await workspace.annotations.listUnlinked() : { annotations: [], problems: [] }
  for (const annotation of unlinkedListing.annotations) found.seeValues(annotation.values)
  for (const problem of unlinkedListing.problems) problems.push({ file: problem.file, message: `line ${problem.line}: ${problem.message}` })
  return {
    discussionIds,
    ...columnsFound(found.partial()),
    annotatorExtraKeys: [],
    annotators: new AnnotatorRegistry(),
    unlinked: unlinkedListing.annotations,
    problems
  }
}

type LabelKind = 'integer' | 'float' | 'boolean' | 'string'

/** What the first pass found in some of the discussions (plain data: it crosses from a worker thread). */
export interface PartialExportScan {
  conditionKeys: string[]
  participantExtraKeys: string[]
  labelKinds: [label: string, kinds: LabelKind[]][]
}

/**
 * The first pass's findings so far. The files are read without validating (the second pass
 * validates, and skips and reports what is invalid): an invalid record can at worst add a column
 * that stays empty.
 */
export class ExportScanAccumulator {
  private readonly conditionKeys = new Set<string>()
  private readonly participantExtraKeys = new Set<string>()
  private readonly labelKinds = new Map<string, Set<LabelKind>>()
  /** Goes up whenever a key or a label kind is seen for the first time. */
  version = 0

  /** One discussion's record and journal. */
  seeFiles(files: DiscussionFiles): void {
    this.seeDiscussion(readRawDiscussion(files.discussion))
    const journal = readWorkspaceBytes(files.journal)
    if (journal) this.seeJournal(journal)
  }

  /** A discussion file's JSON (anything: unchecked). */
  seeDiscussion(discussion: unknown): void {
    if (isRecord(discussion)) {
      const conditions = discussion['conditions']
      if (isRecord(conditions)) for (const key of Object.keys(conditions)) this.add(this.conditionKeys, key)
      const participants = discussion['participants']
      if (Array.isArray(participants)) {
        for (const participant of participants) {
          const extra = isRecord(participant) && isRecord(participant['persona']) ? participant['persona']['extra_attributes'] : undefined
          if (isRecord(extra)) for (const key of Object.keys(extra)) this.add(this.participantExtraKeys, key)
        }
      }
    }
  }

  /** An annotation journal's bytes. */
  seeJournal(journal: Buffer): void {
    scanJournalValues(journal, (values) => this.seeValues(values))
  }

  /** An annotation's `values` (anything: unchecked). */
  seeValues(values: unknown): void {
    if (!isRecord(values)) return
    for (const [label, value] of Object.entries(values)) {
      const kinds = this.kindsOf(label)
      if (value === null || value === undefined) continue
      if (typeof value === 'number') this.add(kinds, Number.isSafeInteger(value) ? 'integer' : 'float')
      else if (typeof value === 'boolean') this.add(kinds, 'boolean')
      else this.add(kinds, 'string')
    }
  }

  partial(): PartialExportScan {
    return {
      conditionKeys: [...this.conditionKeys],
      participantExtraKeys: [...this.participantExtraKeys],
      labelKinds: [...this.labelKinds.entries()].map(([label, kinds]) => [label, [...kinds]])
    }
  }

  merge(partial: PartialExportScan): void {
    for (const key of partial.conditionKeys) this.add(this.conditionKeys, key)
    for (const key of partial.participantExtraKeys) this.add(this.participantExtraKeys, key)
    for (const [label, kinds] of partial.labelKinds) {
      const known = this.kindsOf(label)
      for (const kind of kinds) this.add(known, kind)
    }
  }

  private kindsOf(label: string): Set<LabelKind> {
    let kinds = this.labelKinds.get(label)
    if (!kinds) {
      this.labelKinds.set(label, (kinds = new Set()))
      this.version += 1
    }
    return kinds
  }

  private add<T>(set: Set<T>, value: T): void {
    if (set.has(value)) return
    set.add(value)
    this.version += 1
  }
}

/** The data-dependent columns, as `exportTableSpecs` takes them. */
export interface ExportColumnsFound {
  conditionKeys: string[]
  participantExtraKeys: string[]
  labels: { name: string; type: ColumnType }[]
}

/** The data-dependent columns of what was seen, in the order the tables list them. */
export function columnsFound(partial: PartialExportScan): ExportColumnsFound {
  return {
    conditionKeys: [...partial.conditionKeys].sort(compareText),
    participantExtraKeys: [...partial.participantExtraKeys].sort(compareText),
    labels: [...partial.labelKinds].sort(([a], [b]) => compareText(a, b)).map(([name, kinds]) => ({ name, type: labelType(new Set(kinds)) }))
  }
}

/** Persona attributes of the registered annotators beyond SDF's fields: the annotators table's extra columns. */
export function annotatorExtraKeys(annotators: AnnotatorRegistry): string[] {
  const keys = new Set<string>()
  for (const { annotator } of annotators.list()) addExtraKeys(keys, annotator.persona)
  return [...keys].sort(compareText)
}

const VALUES_KEY = Buffer.from('"values":{')
const QUOTE = 0x22
const BACKSLASH = 0x5c
const NEWLINE = 0x0a

/**
 * Gives `see` the `values` object of every journal line. Lines are hundreds of bytes (the
 * annotator with its prompt, repeated on every line) around a values object of a few dozen, so
 * instead of parsing each line this finds `"values":{` in the bytes and parses only that object.
 * The key cannot occur inside a JSON string (its quotes would be escaped), so one occurrence on a
 * line is the annotation's values, unless the line nests another `values` object somewhere:
 * then, or when the object is not a flat one, the whole line is parsed as before.
 */
export function scanJournalValues(journal: Buffer, see: (values: unknown) => void): void {
  let start = 0
  let next = journal.indexOf(VALUES_KEY)
  while (start < journal.length) {
    let end = journal.indexOf(NEWLINE, start)
    if (end === -1) end = journal.length
    while (next !== -1 && next < start) next = journal.indexOf(VALUES_KEY, next + 1)
    let seen = false
    if (next !== -1 && next < end) {
      const at = next
      next = journal.indexOf(VALUES_KEY, at + 1)
      if (next === -1 || next >= end) {
        const open = at + VALUES_KEY.length - 1
        const close = flatObjectEnd(journal, open, end)
        if (close !== -1) {
          try {
            see(JSON.parse(journal.toString('utf8', open, close + 1)))
            seen = true
          } catch {
            // parsed whole below
          }
        }
      }
    }
    if (!seen) {
      const line = journal.toString('utf8', start, end)
      if (line.trim() !== '') {
        try {
          const value: unknown = JSON.parse(line)
          if (isRecord(value)) see(value['values'])
        } catch {
          // reported by the second pass
        }
      }
    }
    start = end + 1
  }
}

/** The index of the `}` closing the object opened at `open`, or -1 if it holds a nested object or array or does not close before `limit`. */
function flatObjectEnd(bytes: Buffer, open: number, limit: number): number {
  let inString = false
  for (let i = open + 1; i < limit; i++) {
    const byte = bytes[i]!
    if (inString) {
      if (byte === BACKSLASH) i += 1
      else if (byte === QUOTE) inString = false
    } else if (byte === QUOTE) inString = true
    else if (byte === 0x7d) return i
    else if (byte === 0x7b || byte === 0x5b) return -1
  }
  return -1
}

function readRawDiscussion(path: string): unknown {
  try {
    return JSON.parse(readWorkspaceFile(path) ?? '')
  } catch {
    return undefined // reported by the second pass
  }
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
