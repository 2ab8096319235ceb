import type { z } from 'zod'

/** `["logs", 3, "text"]` → `logs[3].text`: the way people point into JSON. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, position) =>
      typeof key === 'number' ? `[${key}]` : `${position === 0 ? '' : '.'}${String(key)}`
    )
    .join('')
}

/** The first problem of a failed parse, as a field (when one is to blame) and a message. */
export function firstZodIssue(error: z.ZodError): { field?: string; message: string } {
  const issue = error.issues[0]
  if (!issue) return { message: 'does not match the schema' }
  return issue.path.length > 0
    ? { field: formatFieldPath(issue.path), message: issue.message }
    : { message: issue.message }
}

/** "field username: must be a non-empty name" */
export function describeZodError(error: z.ZodError): string {
  const { field, message } = firstZodIssue(error)
  return field ? `field ${field}: ${message}` : message
}
