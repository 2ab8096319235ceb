import type { SeedComment } from '../../schema/index.js'
import { SDF_SEED_USERNAME } from './sdfStrings.js'

/** One comment as a speaker sees it in its history window. A blank text is a silent turn. */
export interface HistoryEntry {
  author: string
  text: string
}

/**
 * The last `size` entries: SDF's `deque(maxlen=history_ctx_len)`. The engine decides what enters
 * the archive (SDF: non-silent user comments and every moderator reply, blank ones included).
 */
export function historyWindow<T>(entries: readonly T[], size: number): T[] {
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`a history window needs a whole size >= 0, got ${size}`)
  return size === 0 ? [] : entries.slice(-size)
}

/**
 * Seed comments as the opening history entries, in order. An unknown author is shown as SDF v0.1's
 * "FirstUser"; an outside author (not a participant) keeps its name and never gets a turn.
 */
export function seedHistoryEntries(seeds: readonly SeedComment[]): HistoryEntry[] {
  return seeds.map((seed) => ({ author: seed.author ?? SDF_SEED_USERNAME, text: seed.text }))
}
