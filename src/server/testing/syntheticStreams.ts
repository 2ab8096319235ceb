import { randomBytes } from 'node:crypto'
import type { StreamHub } from '../../shared/index.js'

/** The token a synthetic stream sends at `seq`: predictable, so a test can tell what the page must show. */
export function syntheticToken(seq: number): string {
  return `w${seq} `
}

/**
 * Feeds `streams` streams with `tokensPerSecond` tokens a second in total (round robin, on a 5 ms
 * tick, catching up on late ticks), then ends them. Ids carry a random part: ids are never reused.
 */
export function startSyntheticStreams(
  hub: StreamHub,
  options: { streams: number; tokensPerSecond: number; durationMs: number }
): { streamIds: string[]; stop(): void } {
  const run = randomBytes(4).toString('hex')
  const streamIds = Array.from({ length: options.streams }, (_, i) => `synthetic-${run}-${i}`)
  const sent = new Array<number>(options.streams).fill(0)
  const started = performance.now()
  let total = 0
  let next = 0
  const timer = setInterval(() => {
    const elapsed = Math.min(performance.now() - started, options.durationMs)
    const due = Math.floor((elapsed * options.tokensPerSecond) / 1000)
    for (; total < due; total++) {
      const index = next
      next = (next + 1) % options.streams
      hub.append(streamIds[index] as string, syntheticToken(sent[index] as number))
      sent[index] = (sent[index] as number) + 1
    }
    if (elapsed >= options.durationMs) stop()
  }, 5)
  let stopped = false
  function stop(): void {
    if (stopped) return
    stopped = true
    clearInterval(timer)
    for (const id of streamIds) hub.end(id)
  }
  return { streamIds, stop }
}
