// Live-run arithmetic kept apart from the components so it can be tested as plain functions.

/** A stream's token count at a moment (ms since any fixed origin). */
export interface TokenSample {
  readonly atMs: number
  readonly tokens: number
}

/**
 * Tokens per second over the last `windowMs`: from the oldest sample inside the window (or the one
 * just before it) to the newest. Null until two samples span some time, so a fresh stream shows "—"
 * rather than a made-up rate.
 */
export function tokensPerSecond(samples: readonly TokenSample[], windowMs = 5_000): number | null {
  const newest = samples.at(-1)
  if (newest === undefined) return null
  let oldest: TokenSample | undefined
  for (let i = samples.length - 2; i >= 0; i -= 1) {
    const sample = samples[i]
    if (sample === undefined) break
    oldest = sample
    if (newest.atMs - sample.atMs >= windowMs) break
  }
  if (oldest === undefined || newest.atMs <= oldest.atMs) return null
  return Math.max(0, ((newest.tokens - oldest.tokens) * 1000) / (newest.atMs - oldest.atMs))
}

/** Appends a sample and drops those older than the window needs (one before it is kept). */
export function addSample(samples: readonly TokenSample[], sample: TokenSample, windowMs = 5_000): TokenSample[] {
  const next = [...samples, sample]
  let first = 0
  while (first + 1 < next.length && sample.atMs - (next[first + 1]?.atMs ?? sample.atMs) >= windowMs) first += 1
  return next.slice(first)
}

/**
 * Seconds left for a run, from how long the ended discussions took on average. Null when nothing
 * has ended yet (no basis) or everything has.
 */
export function etaSeconds(progress: { total: number; ended: number }, elapsedMs: number): number | null {
  const left = progress.total - progress.ended
  if (progress.ended <= 0 || left <= 0 || elapsedMs <= 0) return null
  return (elapsedMs / 1000 / progress.ended) * left
}

/** "12 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—'
  const total = Math.max(0, Math.round(seconds))
  if (total < 60) return `${total} s`
  const minutes = Math.floor(total / 60)
  if (minutes < 60) return `${minutes} min ${String(total % 60).padStart(2, '0')} s`
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`
}

export function formatRate(rate: number | null): string {
  if (rate === null) return '—'
  return rate >= 100 ? `${Math.round(rate)} tok/s` : `${rate.toFixed(1)} tok/s`
}

/** "512 B", "1.5 KiB", "4.1 GiB". */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—'
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`
}
