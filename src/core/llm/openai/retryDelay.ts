/**
 * Exponential backoff with jitter: `base · 2^retry`, capped, then spread over ±50% so that clients
 * which failed together do not come back together.
 */
export function backoffDelay(retry: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** retry)
  return Math.round(exponential * (0.5 + random()))
}

/**
 * How long a 429 or 503 asks the client to wait, in ms: `retry-after-ms` (OpenAI's own), else
 * `Retry-After` as seconds or an HTTP date. Null when the server does not say.
 */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | null {
  const milliseconds = headers.get('retry-after-ms')
  if (milliseconds !== null && /^\d+(\.\d+)?$/.test(milliseconds.trim())) return Number(milliseconds.trim())
  const value = headers.get('retry-after')?.trim()
  if (value === undefined || value === '') return null
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? null : Math.max(0, date - now)
}

/** Waits `ms`, or less when the signal fires (it never rejects: the caller checks the signal). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}
