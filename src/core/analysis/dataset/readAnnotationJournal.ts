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
export function fastAnnotation(value: unknown, cache: ValidatedRecordCache): Annotation | undefined {
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
  const checkedAnnotator = cache.annotator(annotator)
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

/**
 * Reads an annotation journal as `AnnotationStore` does (bad lines reported by number and skipped,
 * a torn last line tolerated) but validates through `fastAnnotation`, falling back to zod.
 */
export function readAnnotationJournal(path: string, cache: ValidatedRecordCache): AnnotationJournal {
  const text = readWorkspaceFile(path)
  if (text === undefined) return { annotations: [], problems: [] }
  const annotations: Annotation[] = []
  const problems: WorkspaceProblem[] = []
  let start = 0
  let line = 0
  while (start < text.length) {
    let end = text.indexOf('\n', start)
    const complete = end !== -1
    if (!complete) end = text.length
    line += 1
    const source = text.slice(start, end)
    start = end + 1
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
