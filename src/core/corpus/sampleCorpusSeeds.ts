import { SeededRandom } from '../random/seededRandom.js'
import type { Corpus, CorpusComment } from './corpus.js'
import { CorpusError } from './corpusError.js'
import type { CorpusSeed } from './corpusSeed.js'
import { corpusThreads } from './corpusThreads.js'

export interface CorpusSeedOptions {
  /** Consecutive comments per seed. */
  k: number
  /** How many seeds. */
  count: number
  /** Only windows ending at a flagged comment that does not open its conversation (SDF's escalated seeds). */
  onlyFlagged?: boolean
  /** Characters kept of each comment; null keeps whole texts. Default 500, as SDF. */
  truncateTo?: number | null
  seed: number
  /** Use windows again once every eligible one has been used; otherwise asking for more throws. */
  reuse?: boolean
}

type Window = CorpusComment[]

/** Every eligible window, grouped by conversation (in corpus order), oldest comment first. */
function eligibleWindows(corpus: Corpus, k: number, onlyFlagged: boolean): Window[][] {
  if (!Number.isSafeInteger(k) || k < 1) throw new CorpusError(`a seed needs at least one comment (k), got ${k}`)
  if (onlyFlagged && corpus.info.columns.flag === null) {
    throw new CorpusError(`corpus "${corpus.info.id}" has no flag column; re-import it with --flag-column to sample only flagged comments`)
  }
  const groups: Window[][] = []
  for (const thread of corpusThreads(corpus.comments)) {
    const windows: Window[] = []
    thread.comments.forEach((comment, end) => {
      if (onlyFlagged && (comment.flagged !== true || end === 0)) return
      const window: CorpusComment[] = [comment]
      let at: number | null = end
      while (window.length < k) {
        at = thread.previous[at as number] ?? null
        if (at === null) return
        window.unshift(thread.comments[at] as CorpusComment)
      }
      windows.push(window)
    })
    if (windows.length > 0) groups.push(windows)
  }
  return groups
}

/** How many distinct windows `sampleCorpusSeeds` can draw with these settings. */
export function countCorpusSeedWindows(corpus: Corpus, options: { k: number; onlyFlagged?: boolean }): number {
  return eligibleWindows(corpus, options.k, options.onlyFlagged ?? false).reduce((sum, group) => sum + group.length, 0)
}

/**
 * Windows in draw order. Each round takes one unused window from every conversation that has one
 * left, conversations in a shuffled order, so seeds come from as many different conversations as
 * possible. The order never depends on how many seeds are asked for: asking for more extends the
 * list without changing its start.
 */
function* drawOrder(groups: readonly Window[][], random: SeededRandom, reuse: boolean): Generator<Window> {
  for (let pass = 0; ; pass += 1) {
    const stream = random.fork('pass').fork(pass)
    const shuffled = groups.map((group, index) => stream.fork('conversation').fork(index).shuffle(group))
    const rounds = Math.max(...groups.map((group) => group.length))
    for (let round = 0; round < rounds; round += 1) {
      const open = shuffled.map((_, index) => index).filter((index) => (shuffled[index] as Window[]).length > round)
      for (const index of stream.fork('round').fork(round).shuffle(open)) yield (shuffled[index] as Window[])[round] as Window
    }
    if (!reuse) return
  }
}

/** Cuts by code points, as Python's `text[:n]` did in SDF, so no emoji is split in half. */
function truncate(text: string, length: number | null): string {
  if (length === null || text.length <= length) return text
  const points = Array.from(text)
  return points.length <= length ? text : points.slice(0, length).join('')
}

/**
 * Samples `count` seeds of `k` consecutive comments from a corpus, reproducibly from `seed`. A window
 * follows the reply chain backwards from its last comment (its reply_to, or the comment before it
 * in the file when reply_to names no earlier message) and never leaves its conversation.
 */
export function sampleCorpusSeeds(corpus: Corpus, options: CorpusSeedOptions): CorpusSeed[] {
  const onlyFlagged = options.onlyFlagged ?? false
  const truncateTo = options.truncateTo === undefined ? 500 : options.truncateTo
  if (truncateTo !== null && (!Number.isSafeInteger(truncateTo) || truncateTo < 1)) {
    throw new CorpusError(`truncateTo must be a positive whole number of characters or null, got ${truncateTo}`)
  }
  if (!Number.isSafeInteger(options.count) || options.count < 0) {
    throw new CorpusError(`count must be a whole number of seeds, got ${options.count}`)
  }
  const random = SeededRandom.fromSeed(options.seed)
  const groups = eligibleWindows(corpus, options.k, onlyFlagged)
  const available = groups.reduce((sum, group) => sum + group.length, 0)
  if (options.count === 0) return []
  const what = `windows of ${options.k} consecutive comment${options.k === 1 ? '' : 's'}${onlyFlagged ? ' ending at a flagged comment' : ''}`
  if (available === 0) throw new CorpusError(`corpus "${corpus.info.id}" has no ${what}`)
  if (options.count > available && !options.reuse) {
    throw new CorpusError(
      `${options.count} seeds were asked for but corpus "${corpus.info.id}" has only ${available} ${what}; ` +
        'ask for fewer, lower k, or allow windows to be reused'
    )
  }
  const seeds: CorpusSeed[] = []
  for (const window of drawOrder(groups, random, options.reuse ?? false)) {
    seeds.push({
      comments: window.map((comment) => ({ author: comment.author, text: truncate(comment.text, truncateTo) })),
      provenance: {
        corpus_id: corpus.info.id,
        corpus_name: corpus.info.name,
        conversation_id: (window[0] as CorpusComment).conversation_id,
        message_ids: window.map((comment) => comment.message_id),
        only_flagged: onlyFlagged,
        truncated_to: truncateTo
      }
    })
    if (seeds.length === options.count) break
  }
  return seeds
}
