import { z } from 'zod'

/**
 * Why a call across the UI/host boundary failed. Kebab-case, like every enum in the project.
 * - `invalid-input`: the input did not match the method's schema (a caller bug or a hostile caller)
 * - `invalid-output`: the host's answer did not match the method's schema (a host bug)
 * - `unknown-method`: the method is not part of the contract
 * - `not-found`: the record (or other thing) the call names does not exist
 * - `no-workspace`: the call needs an open workspace and the host has none
 * - `forbidden`: the caller may not use the API (e.g. IPC from a frame that is not ours), or this
 *   host does not allow the call (e.g. choosing folders from a browser)
 * - `not-computable`: the inputs were valid but the result is undefined (e.g. agreement without variation)
 * - `unavailable`: there is no host to talk to, or the host lacks what the call needs (a loaded model)
 * - `not-implemented`: the method is in the contract but this host does not serve it yet
 * - `transport`: the channel failed or brought back something that is not a result envelope
 * - `internal`: the implementation failed in a way it did not describe
 */
export const ApiErrorCodeSchema = z.enum([
  'invalid-input',
  'invalid-output',
  'unknown-method',
  'not-found',
  'no-workspace',
  'forbidden',
  'not-computable',
  'unavailable',
  'not-implemented',
  'transport',
  'internal'
])

export type ApiErrorCode = z.infer<typeof ApiErrorCodeSchema>

/** The plain shape of an error as it crosses the boundary (structured-clone and JSON safe). */
export const ApiErrorShapeSchema = z.object({
  code: ApiErrorCodeSchema,
  message: z.string(),
  details: z.unknown().optional()
})

export type ApiErrorShape = z.infer<typeof ApiErrorShapeSchema>

/** The error a client throws and an implementation may throw to choose its own code. */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  readonly code: ApiErrorCode
  readonly details: unknown

  constructor(code: ApiErrorCode, message: string, details?: unknown) {
    super(message)
    this.code = code
    this.details = details
  }

  static fromShape(shape: ApiErrorShape): ApiError {
    return new ApiError(shape.code, shape.message, shape.details)
  }

  toShape(): ApiErrorShape {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details }
  }
}

/** One schema issue, reduced to what a UI can show and a clone can carry. */
export interface IssueDetail {
  path: (string | number)[]
  message: string
  code: string
}

/** Turns a zod error into `details` that survive structured clone and JSON. */
export function issueDetails(error: z.ZodError): { issues: IssueDetail[] } {
  return {
    issues: error.issues.map((issue) => ({
      path: issue.path.map((key) => (typeof key === 'number' ? key : String(key))),
      message: issue.message,
      code: issue.code
    }))
  }
}

/** `["logs", 3, "text"]` → `logs[3].text`, the way people point into JSON. */
export function formatIssuePath(path: readonly (string | number)[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${key}`)).join('')
}

/** The first problem of a failed parse as one sentence fragment: "field username: must be a non-empty name". */
export function describeIssues(error: z.ZodError): string {
  const [first] = issueDetails(error).issues
  if (first === undefined) return 'does not match the schema'
  return first.path.length > 0 ? `field ${formatIssuePath(first.path)}: ${first.message}` : first.message
}

/** Any thrown value as an error shape; unknown errors become `internal` with their message only. */
export function toApiErrorShape(error: unknown): ApiErrorShape {
  if (error instanceof ApiError) {
    return error.toShape()
  }
  const message = error instanceof Error ? error.message : String(error)
  return { code: 'internal', message }
}
