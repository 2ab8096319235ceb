import type { ServerResponse } from 'node:http'
import type { z } from 'zod'
import type { BackendError } from '../../core/index.js'

export type OpenAiErrorType = 'invalid_request_error' | 'authentication_error' | 'not_found_error' | 'rate_limit_error' | 'server_error'

/** OpenAI's error shape, which its client libraries turn into their own exceptions. */
export function sendOpenAiError(
  response: ServerResponse,
  status: number,
  error: { message: string; type: OpenAiErrorType; code: string | null; param?: string | null },
  headers: Record<string, string> = {}
): void {
  // The client is gone (it left while its request waited) or an answer has begun: nothing to add.
  if (response.destroyed) return
  if (response.headersSent) {
    response.end()
    return
  }
  const body = JSON.stringify({ error: { message: error.message, type: error.type, param: error.param ?? null, code: error.code } })
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers }).end(body)
}

/** The status and error for a backend failure; 'invalid-output' never gets here (the raw text is answered instead). */
export function openAiErrorFor(error: BackendError): { status: number; type: OpenAiErrorType; code: string } {
  switch (error.code) {
    case 'invalid-request':
      return { status: 400, type: 'invalid_request_error', code: 'invalid_request' }
    case 'context-overflow':
      return { status: 400, type: 'invalid_request_error', code: 'context_length_exceeded' }
    case 'server-rate-limited':
      return { status: 429, type: 'rate_limit_error', code: 'rate_limited' }
    case 'disposed':
    case 'aborted':
      return { status: 503, type: 'server_error', code: 'unavailable' }
    case 'server-unauthorized':
    case 'server-error':
    case 'network':
      return { status: 502, type: 'server_error', code: 'upstream_error' }
    default:
      return { status: 500, type: 'server_error', code: error.code }
  }
}

/** A zod failure as one sentence naming the fields, and the first field as OpenAI's `param`. */
export function describeIssues(error: z.ZodError): { message: string; param: string | null } {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.map(String).join('.')
    return path ? `${path}: ${issue.message}` : issue.message
  })
  const more = error.issues.length > 5 ? ` (and ${error.issues.length - 5} more)` : ''
  const first = error.issues[0]?.path.map(String).join('.')
  return { message: `invalid request: ${parts.join('; ')}${more}`, param: first || null }
}
