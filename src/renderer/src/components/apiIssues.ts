import type { FieldValues, Path, UseFormSetError } from 'react-hook-form'
import { ApiError, formatIssuePath } from '../../../shared/index.js'

interface Issue {
  path: (string | number)[]
  message: string
}

function issuesOf(error: unknown): Issue[] {
  if (!(error instanceof ApiError) || error.code !== 'invalid-input') return []
  const details = error.details as { issues?: unknown } | undefined
  if (!Array.isArray(details?.issues)) return []
  return details.issues.filter(
    (issue): issue is Issue =>
      typeof issue === 'object' && issue !== null && Array.isArray((issue as Issue).path) && typeof (issue as Issue).message === 'string'
  )
}

/**
 * Puts the host's schema issues (core's own validation, after the form's) on the form's fields.
 * `fieldOf` maps a record path to a form field, or null when the form has no such field. Answers
 * true when at least one issue landed on a field, so the caller need not also toast it.
 */
export function applyApiIssues<F extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<F>,
  fieldOf: (path: (string | number)[]) => Path<F> | null
): boolean {
  let placed = false
  for (const issue of issuesOf(error)) {
    const field = fieldOf(issue.path)
    if (field === null) continue
    setError(field, { type: 'server', message: issue.message })
    placed = true
  }
  return placed
}

/** `["labels", 0, "name"]` → `labels.0.name`, react-hook-form's field path. */
export function formFieldPath(path: readonly (string | number)[]): string {
  return path.map(String).join('.')
}

export { formatIssuePath }
