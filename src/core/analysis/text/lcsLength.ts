/**
 * Length of the longest common subsequence of two token-id sequences, bit-parallel (Allison & Dix
 * 1986, in Hyyrö's 2004 form V' = (V + (V & M)) | (V & ~M)): each token of `b` updates ⌈|a|/32⌉
 * machine words instead of |a| table cells, which makes pairwise ROUGE-L over a whole corpus fast.
 * `a` is given as its match masks (see `lcsMasks`), built once and reused against every partner.
 */
export function lcsLength(a: LcsMasks, b: ArrayLike<number>): number {
  const words = a.words
  if (a.length === 0 || b.length === 0) return 0
  const v = a.scratch
  v.fill(0xffffffff)
  for (let j = 0; j < b.length; j++) {
    const mask = a.masks.get(b[j]!)
    if (mask === undefined) continue // V & M = 0 leaves V unchanged
    let carry = 0
    for (let w = 0; w < words; w++) {
      const vw = v[w]!
      const u = vw & mask[w]!
      const sum = (vw >>> 0) + (u >>> 0) + carry
      carry = sum > 0xffffffff ? 1 : 0
      v[w] = (sum >>> 0) | (vw & ~mask[w]!)
    }
  }
  // Every zero bit among the low |a| bits of V is one matched token.
  let zeros = 0
  for (let w = 0; w < words; w++) {
    const bits = w === words - 1 && a.length % 32 !== 0 ? a.length % 32 : 32
    const value = bits === 32 ? ~v[w]! : ~v[w]! & ((1 << bits) - 1)
    zeros += popcount(value >>> 0)
  }
  return zeros
}

export interface LcsMasks {
  length: number
  words: number
  /** token id → bit mask of the positions in `a` that hold it */
  masks: Map<number, Uint32Array>
  scratch: Uint32Array
}

export function lcsMasks(a: ArrayLike<number>): LcsMasks {
  const words = Math.max(1, Math.ceil(a.length / 32))
  const masks = new Map<number, Uint32Array>()
  for (let i = 0; i < a.length; i++) {
    let mask = masks.get(a[i]!)
    if (!mask) masks.set(a[i]!, (mask = new Uint32Array(words)))
    mask[i >>> 5]! |= 1 << (i & 31)
  }
  return { length: a.length, words, masks, scratch: new Uint32Array(words) }
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
