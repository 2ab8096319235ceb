import { BackendError } from '../backend.js'

/** One OpenAI-compatible server: its base URL (ending in `/v1` for most servers) and its API key, if it wants one. */
export interface OpenAiEndpoint {
  readonly baseUrl: string
  readonly apiKey?: string
}

/** How JSON output is asked for: 'auto' starts at json_schema and steps down when a server rejects it. */
export type OpenAiJsonMode = 'auto' | 'json_schema' | 'json_object' | 'prompt'
export type ResolvedJsonMode = Exclude<OpenAiJsonMode, 'auto'>

/** One endpoint and what this backend has learnt about it. */
export interface EndpointState {
  /** Without a trailing slash; the key stays here and goes into no message. */
  readonly baseUrl: string
  readonly apiKey: string | undefined
  /** For messages: the URL without credentials or query. */
  readonly label: string
  /** The JSON mode that last worked (or is next to try) on this server. */
  jsonMode: ResolvedJsonMode
  /** False once the server rejected `stream_options` (older llama-server, some proxies). */
  streamUsage: boolean
  /** False once the server rejected the non-OpenAI sampling fields (top_k, min_p, repeat_penalty). */
  samplingExtras: boolean
  /** Connection errors put an endpoint aside until this time (performance.now()). */
  downUntil: number
}

/**
 * The endpoints, taken in turn (round-robin). One whose connection failed is skipped for a cool-off;
 * when every endpoint is cooling off, the one that has waited longest is tried anyway rather than
 * failing a request that a recovered server could answer.
 */
export class EndpointPool {
  readonly endpoints: readonly EndpointState[]
  private turn = 0

  constructor(
    endpoints: readonly OpenAiEndpoint[],
    jsonMode: OpenAiJsonMode,
    private readonly coolOffMs: number,
    private readonly now: () => number = () => performance.now()
  ) {
    if (endpoints.length === 0) throw new BackendError('invalid-request', 'an OpenAI-compatible backend needs at least one endpoint')
    this.endpoints = endpoints.map((endpoint) => ({
      baseUrl: normalizeBaseUrl(endpoint.baseUrl),
      apiKey: endpoint.apiKey === '' ? undefined : endpoint.apiKey,
      label: labelOf(endpoint.baseUrl),
      jsonMode: jsonMode === 'auto' ? 'json_schema' : jsonMode,
      streamUsage: true,
      samplingExtras: true,
      downUntil: 0
    }))
  }

  next(): EndpointState {
    const now = this.now()
    const count = this.endpoints.length
    for (let step = 0; step < count; step++) {
      const endpoint = this.endpoints[(this.turn + step) % count]!
      if (endpoint.downUntil <= now) {
        this.turn = (this.turn + step + 1) % count
        return endpoint
      }
    }
    const soonest = this.endpoints.reduce((best, endpoint) => (endpoint.downUntil < best.downUntil ? endpoint : best))
    this.turn = (this.endpoints.indexOf(soonest) + 1) % count
    return soonest
  }

  markDown(endpoint: EndpointState): void {
    endpoint.downUntil = this.now() + this.coolOffMs
  }

  markUp(endpoint: EndpointState): void {
    endpoint.downUntil = 0
  }
}

function normalizeBaseUrl(baseUrl: string): string {
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    throw new BackendError('invalid-request', `${JSON.stringify(labelOf(baseUrl))} is not a URL; expected something like http://127.0.0.1:8080/v1`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BackendError('invalid-request', `${labelOf(baseUrl)} is not an http(s) URL; expected something like http://127.0.0.1:8080/v1`)
  }
  return url.href.replace(/\/+$/, '')
}

/** The URL as it may appear in messages and logs: no user, password, query or fragment. */
export function labelOf(baseUrl: string): string {
  try {
    const url = new URL(baseUrl)
    url.username = ''
    url.password = ''
    url.search = ''
    url.hash = ''
    return url.href.replace(/\/+$/, '')
  } catch {
    // Not a URL: keep only what cannot be a secret's position in one.
    return baseUrl.replace(/\/\/[^@/]*@/, '//').replace(/[?#].*$/, '')
  }
}
