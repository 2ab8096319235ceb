import type { z } from 'zod'
import { describeZodError } from '../../schema/describeZodError.js'
import { AnnotationSchema, AnnotatorSchema, SourceRefSchema, type Annotation } from '../../schema/index.js'
import type { WorkspaceProblem } from '../../workspace/jsonCollection.js'
import { readWorkspaceFile } from './readWorkspaceFile.js'

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/

/**
 * Remembers validated sub-records. Every line of a journal repeats the same annotator (prompt and
 * persona included) and the same source; validating each once instead of 600,000 times is most of
 * the difference between a 2-second and a 10-second load. A new line's value is compared with the
 * raw values already validated (most recent first), which is cheaper than serialising it as a key.
 * The cached objects are shared between annotations, so readers must treat them as read-only.
 */
export class ValidatedRecordCache {
  private readonly annotators: CacheEntry<z.output<typeof AnnotatorSchema>>[] = []
  private readonly sources: CacheEntry<z.output<typeof SourceRefSchema>>[] = []

  annotator(value: unknown): z.output<typeof AnnotatorSchema> | null {
    return remember(this.annotators, AnnotatorSchema, value)
  }

  source(value: unknown): z.output<typeof SourceRefSchema> | null {
    return remember(this.sources, SourceRefSchema, value)
  }
}

interface CacheEntry<T> {
  raw: unknown
  parsed: T | null
}

const CACHE_LIMIT = 64

function remember<S extends z.ZodType>(cache: CacheEntry<z.output<S>>[], schema: S, value: unknown): z.output<S> | null {
  for (let i = 0; i < cache.length; i++) {
    const entry = cache[i]!
    if (!sameJson(entry.raw, value)) continue
    if (i > 0) {
      // Move to the front: journals are long runs of one annotator.
      cache.splice(i, 1)
      cache.unshift(entry)
    }
    return entry.parsed
  }
  const result = schema.safeParse(value)
  const parsed = result.success ? result.data : null
  cache.unshift({ raw: value, parsed })
  if (cache.length > CACHE_LIMIT) cache.pop()
  return parsed
}

/** Deep equality of two JSON values (as JSON.parse makes them). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false
    return true
  }
  if (Array.isArray(b)) return false
  const left = a as Record<string, unknown>
  const right = b as Record<string, unknown>
  let count = 0
  for (const key in left) {
    if (!Object.prototype.hasOwnProperty.call(right, key) || !sameJson(left[key], right[key])) return false
    count += 1
  }
  for (const _key in right) count -= 1
  return count === 0
}

/**
 * One journal line as an Annotation, exactly what `AnnotationSchema.parse` gives for a valid
 * record (unknown keys dropped, defaults filled, same key order), checked by hand for the fields
 * that differ on every line and through the cache for those that repeat. Undefined when anything
 * is off: the caller then asks zod, which also explains what is wrong.
 */
export function fastAnnotation(
  value: unknown,
  cache: ValidatedRecordCache,
  /** The validated annotator, when the caller already has it (the line's annotator was left out of the parse). */
  knownAnnotator?: Annotation['annotator']
): Annotation | undefined {
  if (!isRecord(value)) return undefined
  const { id, discussion_id, comment_index, position, quoted_text, quoted_author, annotator, values, raw_text, parsed, created_at, source } = value
  if (typeof id !== 'string' || !ID.test(id) || id.includes('..')) return undefined
  if (!(discussion_id === null || (typeof discussion_id === 'string' && discussion_id.length > 0))) return undefined
  if (!(comment_index === null || isIndex(comment_index))) return undefined
  if (!isIndex(position)) return undefined
  if (!isOptionalText(quoted_text) || !isOptionalText(quoted_author) || !isOptionalText(created_at)) return undefined
  if (typeof raw_text !== 'string' || typeof parsed !== 'boolean' || !isRecord(values)) return undefined
  for (const key in values) {
    const label = values[key]
    if (label !== null && typeof label !== 'number' && typeof label !== 'string' && typeof label !== 'boolean') return undefined
  }
  const checkedAnnotator = knownAnnotator ?? cache.annotator(annotator)
  if (checkedAnnotator === null) return undefined
  const checkedSource = source === undefined ? undefined : cache.source(source)
  if (checkedSource === null) return undefined
  const annotation: Annotation = {
    id,
    discussion_id,
    comment_index,
    position,
    quoted_text: quoted_text ?? null,
    quoted_author: quoted_author ?? null,
    annotator: checkedAnnotator,
    values: values as Annotation['values'],
    raw_text,
    parsed,
    created_at: created_at ?? null
  }
  if (checkedSource !== undefined) annotation.source = checkedSource
  return annotation
}

export interface AnnotationJournal {
  annotations: Annotation[]
  problems: WorkspaceProblem[]
}

const ANNOTATOR_KEY = '"annotator":'

/**
 * An annotator of the journal's earlier lines, as text and validated. Each line repeats its
 * annotator (prompt and persona, most of the line's bytes); a line whose annotator text is the
 * same as an earlier line's is parsed without it and given the validated object, which saves
 * parsing, comparing and collecting hundreds of bytes per line. Annotation jobs interleave their
 * annotators line by line, so a few are remembered.
 */
interface RepeatedAnnotator {
  text: string
  value: Annotation['annotator']
}

const REMEMBERED_ANNOTATORS = 16

/**
 * The line parsed with its annotator taken from `previous` when its annotator text is the same,
 * or undefined (then the caller parses the whole line). The text after `"annotator":` is compared
 * with the known annotators' texts: a JSON object is self-delimiting, so equal text is the same
 * object. The key must occur once on the line: it cannot occur inside a string (its quotes would
 * be escaped), so once means it is the record's own annotator key, not a nested one.
 */
function parseWithRepeatedAnnotator(
  text: string,
  start: number,
  end: number,
  known: readonly RepeatedAnnotator[]
): { value: Record<string, unknown>; annotator: RepeatedAnnotator } | undefined {
  if (known.length === 0) return undefined
  const key = text.indexOf(ANNOTATOR_KEY, start)
  if (key === -1 || key >= end) return undefined
  const at = key + ANNOTATOR_KEY.length
  const previous = known.find((candidate) => text.startsWith(candidate.text, at))
  if (previous === undefined) return undefined
  const after = at + previous.text.length
  const next = text.charCodeAt(after)
  if (next !== 0x2c && next !== 0x7d) return undefined // "," or "}"
  const again = text.indexOf(ANNOTATOR_KEY, after)
  if (again !== -1 && again < end) return undefined
  let value: unknown
  try {
    value = JSON.parse(`${text.slice(start, at)}null${text.slice(after, end)}`)
  } catch {
    return undefined
  }
  if (!isRecord(value) || value['annotator'] !== null) return undefined
  return { value, annotator: previous }
}

/** The text of the annotator object after the line's one `"annotator":` key, or undefined. */
function annotatorText(text: string, start: number, end: number): string | undefined {
  const key = text.indexOf(ANNOTATOR_KEY, start)
  if (key === -1 || key >= end) return undefined
  const open = key + ANNOTATOR_KEY.length
  if (text.charCodeAt(open) !== 0x7b) return undefined // "{"
  let depth = 0
  let inString = false
  for (let i = open; i < end; i++) {
    const code = text.charCodeAt(i)
    if (inString) {
      if (code === 0x5c) i += 1
      else if (code === 0x22) inString = false
    } else if (code === 0x22) inString = true
    else if (code === 0x7b || code === 0x5b) depth += 1
    else if ((code === 0x7d || code === 0x5d) && --depth === 0) {
      // Once on the line, or it might be a nested key rather than the record's own.
      const again = text.indexOf(ANNOTATOR_KEY, i + 1)
      return again !== -1 && again < end ? undefined : text.slice(open, i + 1)
    }
  }
  return undefined
}

/**
 * Reads an annotation journal as `AnnotationStore` does (bad lines reported by number and skipped,
 * a torn last line tolerated) but validates through `fastAnnotation`, falling back to zod.
 */
export function readAnnotationJournal(path: string, cache: ValidatedRecordCache): AnnotationJournal {
  const text = readWorkspaceFile(path)
  return text === undefined ? { annotations: [], problems: [] } : parseAnnotationJournal(path, text, cache)
}

/** `readAnnotationJournal` of a journal already read (`path` only names it in problems). */
export function parseAnnotationJournal(path: string, text: string, cache: ValidatedRecordCache): AnnotationJournal {
  const annotations: Annotation[] = []
  const problems: WorkspaceProblem[] = []
  const known: RepeatedAnnotator[] = []
  let start = 0
  let line = 0
  while (start < text.length) {
    let end = text.indexOf('\n', start)
    const complete = end !== -1
    if (!complete) end = text.length
    line += 1
    const lineStart = start
    start = end + 1
    const shortcut = parseWithRepeatedAnnotator(text, lineStart, end, known)
    if (shortcut) {
      const fast = fastAnnotation(shortcut.value, cache, shortcut.annotator.value)
      if (fast) {
        annotations.push(fast)
        continue
      }
    }
    const source = text.slice(lineStart, end)
    if (source.trim() === '') continue
    let value: unknown
    try {
      value = JSON.parse(source)
    } catch {
      problems.push({
        file: path,
        message: `line ${line}: ${complete ? 'not valid JSON' : 'incomplete last record (a write was cut short); ignored'}`
      })
      continue
    }
    const fast = fastAnnotation(value, cache)
    if (fast) {
      annotations.push(fast)
      const annotator = annotatorText(text, lineStart, end)
      if (annotator !== undefined) {
        if (known.length >= REMEMBERED_ANNOTATORS) known.pop()
        known.unshift({ text: annotator, value: fast.annotator })
      }
      continue
    }
    const checked = AnnotationSchema.safeParse(value)
    if (checked.success) annotations.push(checked.data)
    else problems.push({ file: path, message: `line ${line}: ${describeZodError(checked.error)}` })
  }
  return { annotations, problems }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

function isOptionalText(value: unknown): value is string | null | undefined {
  return value === undefined || value === null || typeof value === 'string'
}
