/**
 * Derives a well-mixed, non-zero 32-bit seed from a user seed and a stream index (the tensor
 * number), so each tensor's bytes depend only on (seed, index) and not on how the writer chunks.
 */
export function deriveSeed(seed: number, stream: number): number {
  // splitmix32-style finaliser: neighbouring inputs give unrelated outputs.
  let x = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d)
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b)
  x = (x ^ (x >>> 16)) >>> 0
  return x === 0 ? 0x6d2b79f5 : x
}

/**
 * xorshift32 over a Uint32Array: statistically weak but several hundred MB/s in V8, and random
 * weights for a throwaway test model need speed, not quality.
 */
export class Xorshift32 {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x6d2b79f5
  }

  fill(target: Uint32Array): void {
    let x = this.state
    for (let i = 0; i < target.length; i++) {
      x ^= x << 13
      x ^= x >>> 17
      x ^= x << 5
      target[i] = x
    }
    this.state = x >>> 0
  }

  next(): number {
    let x = this.state
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    this.state = x >>> 0
    return this.state
  }
}
