import type { z } from 'zod'
import { formatFieldPath } from '../schema/describeZodError.js'
import { FormatError } from './parsedSource.js'
import { ReadError } from './valueChecks.js'

function describeIssues(error: z.ZodError): { field: string; message: string } {
  const [first, ...rest] = error.issues
  if (!first) return { field: '', message: 'invalid data' }
  const more = rest.length === 0 ? '' : ` (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})`
  return { field: formatFieldPath(first.path), message: `${first.message}${more}` }
}

/** The first zod issue as a FormatError whose field is the issue's path (prefixed, when the value was nested). */
export function zodIssueToFormatError(file: string, error: z.ZodError, prefix = ''): FormatError {
  const { field, message } = describeIssues(error)
  const full = withPrefix(prefix, field)
  return new FormatError(file, message, full === '' ? undefined : full)
}

function withPrefix(prefix: string, field: string): string {
  if (prefix === '') return field
  if (field === '') return prefix
  return field.startsWith('[') ? `${prefix}${field}` : `${prefix}.${field}`
}

/** Validates with a schema inside a reader: returns the parsed value or throws a ReadError at the issue's path. */
export function parseWithSchema<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const { field, message } = describeIssues(result.error)
  const full = withPrefix(prefix, field)
  throw new ReadError(message, full === '' ? undefined : full)
}
