import { createHash, randomInt } from 'node:crypto'
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus'
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator'

/** The largest seed `freshSeed` hands out; any non-negative safe integer is accepted as a seed. */
export const MAX_FRESH_SEED = 0xffff_ffff

/**
 * The only source of randomness in SDF Studio's design and discussion code. Every stream has a
 * path (`seed:42/"discussion"/"7"`), and a stream's start state is a hash of its path, so:
 * - the same seed always gives the same draws, on every machine;
 * - `fork(label)` gives a child stream that depends only on the parent's path and the label, never on
 *   how many draws the parent already made. Adding a draw in one place therefore never shifts the
 *   draws of an unrelated part (persona sampling, turn-taking, moderator coin flips…), and a crashed
 *   run can re-derive any turn's stream from its index instead of saving generator state.
 *
 * The draws mutate this object (pure-rand's generators are used in place for speed); fork to share.
 */
export class SeededRandom {
  private readonly rng: RandomGenerator

  private constructor(readonly path: string) {
    this.rng = xoroshiro128plusFromState(stateFromPath(path))
  }

  /** A stream from a seed; `seed` must be a non-negative safe integer (it is recorded with runs). */
  static fromSeed(seed: number): SeededRandom {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(`a seed must be a non-negative whole number, got ${String(seed)}`)
    }
    return new SeededRandom(`seed:${seed}`)
  }

  /** An independent child stream named by `label`; the same label always gives the same stream. */
  fork(label: string | number): SeededRandom {
    return new SeededRandom(`${this.path}/${JSON.stringify(String(label))}`)
  }

  /** A float in [0, 1) with 53 random bits. */
  float(): number {
    return uniformFloat64(this.rng)
  }

  /** A whole number in [min, max], both included. */
  int(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max) {
      throw new RangeError(`int(min, max) needs whole numbers with min <= max, got ${min} and ${max}`)
    }
    return uniformInt(this.rng, min, max)
  }

  /**
   * True with probability `p`. Always makes exactly one draw, even for p = 0 or 1, so changing a
   * probability never shifts the draws that follow.
   */
  chance(p: number): boolean {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`a probability must be between 0 and 1, got ${p}`)
    return this.float() < p
  }

  /** One item, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list')
    return items[this.int(0, items.length - 1)] as T
  }

  /** `k` distinct positions' items, in random order (Python's `random.sample` semantics, not its draws). */
  sample<T>(items: readonly T[], k: number): T[] {
    if (!Number.isSafeInteger(k) || k < 0 || k > items.length) {
      throw new RangeError(`cannot sample ${k} items from a list of ${items.length}`)
    }
    const copy = [...items]
    // A partial Fisher–Yates shuffle: only the first k places are settled.
    for (let i = 0; i < k; i += 1) {
      const j = this.int(i, copy.length - 1)
      const held = copy[i] as T
      copy[i] = copy[j] as T
      copy[j] = held
    }
    return copy.slice(0, k)
  }

  /** A shuffled copy. */
  shuffle<T>(items: readonly T[]): T[] {
    return this.sample(items, items.length)
  }

  /** A new seed for something that records its own seed (a discussion, a model call). */
  nextSeed(): number {
    return this.int(0, MAX_FRESH_SEED)
  }
}

/** A seed for a run that was given none; the caller must print or record it. */
export function freshSeed(): number {
  return randomInt(0, MAX_FRESH_SEED + 1)
}

/** 128 bits of SHA-256 as xoroshiro128+'s state, never all zero (the generator's one bad state). */
function stateFromPath(path: string): number[] {
  const digest = createHash('sha256').update(path, 'utf8').digest()
  const state = [0, 4, 8, 12].map((offset) => digest.readInt32BE(offset))
  if (!state.some((word) => word !== 0)) state[0] = 1
  return state
}
