import { BackendError } from '../backend.js'

export interface StatusContext {
  /** The endpoint's URL without credentials. */
  readonly label: string
  readonly model: string
  /** For a 404: the models the server lists at /models, or null when that could not be read. */
  readonly availableModels?: readonly string[] | null
  /** For a 429: how long the server asked to wait, when it said. */
  readonly retryAfterMs?: number | null
}

const MAX_MESSAGE = 400

/** The human part of an error body: OpenAI's `{error: {message}}`, vLLM's `{message}`, FastAPI's `{detail}`, or the text. */
export function serverMessage(body: string): string {
  let text = body.trim()
  try {
    const parsed = JSON.parse(text) as unknown
    const found = messageIn(parsed)
    if (found !== undefined) text = found
  } catch {
    // Not JSON (an HTML error page, a proxy's text): the text itself, shortened below.
  }
  text = text.replace(/\s+/g, ' ').trim()
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text
}

function messageIn(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value !== 'object' || value === null) return undefined
  const record = value as Record<string, unknown>
  for (const key of ['error', 'message', 'detail']) {
    const inner = record[key]
    if (typeof inner === 'string') return inner
    if (Array.isArray(inner)) return inner.map((item) => messageIn(item) ?? JSON.stringify(item)).join('; ')
    if (typeof inner === 'object' && inner !== null) {
      const nested = messageIn(inner)
      if (nested !== undefined) return nested
    }
  }
  // Pydantic's validation errors: [{loc, msg}].
  if (typeof record.msg === 'string') return Array.isArray(record.loc) ? `${record.loc.join('.')}: ${record.msg}` : record.msg
  return undefined
}

/** Messages in which a server says the prompt is longer than its context (vLLM, llama-server, OpenAI). */
const CONTEXT_OVERFLOW = /context length|context size|context window|maximum context|exceeds the available context|too many tokens|prompt is too long/i

/**
 * The BackendError for an HTTP failure status, with a message that says what to do. Whether to retry
 * is the caller's decision (429 and 5xx, only before text reached the caller).
 */
export function errorForStatus(status: number, body: string, context: StatusContext): BackendError {
  const said = serverMessage(body)
  const saying = said ? `: ${said}` : ''
  const { label, model } = context
  if (status === 401 || status === 403) {
    return new BackendError(
      'server-unauthorized',
      `the server at ${label} refused the API key (HTTP ${status}${saying}); check the key configured for this endpoint`
    )
  }
  if (status === 404) {
    const available = context.availableModels
    if (available && available.length > 0 && !available.includes(model)) {
      return new BackendError(
        'model-not-found',
        `the server at ${label} has no model "${model}" (HTTP 404${saying}); it serves: ${available.map((id) => `"${id}"`).join(', ')}`
      )
    }
    return new BackendError(
      'model-not-found',
      `the server at ${label} answered 404 for model "${model}"${saying}; check the model name, and that the base URL is the API root (usually ending in /v1)`
    )
  }
  if (status === 429) {
    const wait = context.retryAfterMs == null ? '' : ` and asks to wait ${Math.ceil(context.retryAfterMs / 1000)} s`
    return new BackendError('server-rate-limited', `the server at ${label} is rate-limiting requests (HTTP 429${saying})${wait}`)
  }
  if (status >= 500) return new BackendError('server-error', `the server at ${label} failed (HTTP ${status}${saying})`)
  if (CONTEXT_OVERFLOW.test(said)) {
    return new BackendError('context-overflow', `the prompt does not fit the context of "${model}" at ${label} (HTTP ${status}${saying})`)
  }
  return new BackendError('invalid-request', `the server at ${label} rejected the request (HTTP ${status}${saying})`)
}
