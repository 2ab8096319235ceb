/**
 * Length of the longest common subsequence of two token-id sequences, bit-parallel (Allison & Dix
 * 1986, in Hyyrö's 2004 form V' = (V + (V & M)) | (V & ~M)): each token of `b` updates ⌈|a|/32⌉
 * machine words instead of |a| table cells, which makes pairwise ROUGE-L over a whole corpus fast.
 * `a` is given as its match masks (see `lcsMasks`), built once and reused against every partner.
 */
export function lcsLength(a: LcsMasks, b: ArrayLike<number>): number {
  const { words, offsets, bits } = a
  if (a.length === 0 || b.length === 0) return 0
  const v = a.scratch
  v.fill(0xffffffff, 0, words)
  const alphabet = offsets.length
  for (let j = 0; j < b.length; j++) {
    const token = b[j]!
    if (token >= alphabet) continue
    const offset = offsets[token]!
    if (offset < 0) continue // V & M = 0 leaves V unchanged
    let carry = 0
    for (let w = 0; w < words; w++) {
      const vw = v[w]!
      const mask = bits[offset + w]!
      const sum = vw + ((vw & mask) >>> 0) + carry
      carry = sum > 0xffffffff ? 1 : 0
      v[w] = (sum >>> 0) | (vw & ~mask)
    }
  }
  // Every zero bit among the low |a| bits of V is one matched token.
  let zeros = 0
  for (let w = 0; w < words; w++) {
    const bitsInWord = w === words - 1 && a.length % 32 !== 0 ? a.length % 32 : 32
    const value = bitsInWord === 32 ? ~v[w]! : ~v[w]! & ((1 << bitsInWord) - 1)
    zeros += popcount(value >>> 0)
  }
  return zeros
}

export interface LcsMasks {
  length: number
  words: number
  /** token id → start of its mask in `bits`, or −1 when the token is not in `a` */
  offsets: Int32Array
  /** the masks, `words` 32-bit words per distinct token of `a`: bit i set where a[i] is that token */
  bits: Uint32Array
  scratch: Uint32Array
  /** `a` itself, so that `lcsMasks` can reuse these arrays for the next sequence */
  tokens: ArrayLike<number>
}

/**
 * Match masks of `a` for token ids below `alphabetSize` (default: the largest id in `a` + 1).
 * Kept in typed arrays indexed by token id rather than a Map: the lookup per token of the
 * partner is the inner loop of a whole-corpus diversity analysis. Given the masks of the previous
 * sequence (no longer needed), reuses their arrays where they are large enough: allocating and
 * filling fresh ones for each of 150,000 comments took a fifth of a diversity analysis.
 */
export function lcsMasks(a: ArrayLike<number>, alphabetSize?: number, previous?: LcsMasks): LcsMasks {
  const words = Math.max(1, Math.ceil(a.length / 32))
  let size = alphabetSize ?? 0
  if (alphabetSize === undefined) for (let i = 0; i < a.length; i++) size = Math.max(size, a[i]! + 1)
  let offsets: Int32Array
  if (previous && previous.offsets.length >= size) {
    offsets = previous.offsets
    for (let i = 0; i < previous.tokens.length; i++) offsets[previous.tokens[i]!] = -1
  } else offsets = new Int32Array(size).fill(-1)
  let distinct = 0
  for (let i = 0; i < a.length; i++) {
    if (offsets[a[i]!] === -1) offsets[a[i]!] = words * distinct++
  }
  const needed = Math.max(1, distinct) * words
  let bits: Uint32Array
  if (previous && previous.bits.length >= needed) {
    bits = previous.bits
    bits.fill(0, 0, needed)
  } else bits = new Uint32Array(needed)
  for (let i = 0; i < a.length; i++) bits[offsets[a[i]!]! + (i >>> 5)]! |= 1 << (i & 31)
  const scratch = previous && previous.scratch.length >= words ? previous.scratch : new Uint32Array(words)
  return { length: a.length, words, offsets, bits, scratch, tokens: a }
}

/** The textbook O(|a|·|b|) dynamic programme; the reference the bit-parallel version is tested against. */
export function lcsLengthTable(a: ArrayLike<unknown>, b: ArrayLike<unknown>): number {
  let previous = new Uint32Array(b.length + 1)
  let current = new Uint32Array(b.length + 1)
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      current[j] = a[i - 1] === b[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, current[j - 1]!)
    }
    ;[previous, current] = [current, previous]
  }
  return previous[b.length]!
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  x = (x + (x >>> 4)) & 0x0f0f0f0f
  return Math.imul(x, 0x01010101) >>> 24
}
