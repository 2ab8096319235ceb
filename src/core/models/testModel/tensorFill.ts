import { GgmlType, ggmlTypeLayout } from './ggmlType.js'
import { Xorshift32 } from './prng.js'
import { f32ToF16Bits } from './quantize.js'

/**
 * Writes the next bytes of one tensor into `chunk`. Called in order over the tensor's data; every
 * chunk but the last is a whole number of blocks and of 4-byte words, so output does not depend
 * on the chunk size. Typed-array views assume a little-endian host, as GGUF itself does.
 */
export type TensorFill = (chunk: Uint8Array) => void

/**
 * Scales chosen so every weight lies within about ±0.03 (standard deviation about 0.018, close to
 * the 0.02 used to initialise real transformers), which keeps activations finite at every depth.
 */
const Q8_0_SCALE = 2.5e-4 // int8 in [-128, 127] -> about ±0.032
const Q4_0_SCALE = 4.0e-3 // (nibble - 8) in [-8, 7] -> about ±0.032
const F32_RANGE = 0.032

/** Random weights for `type`, reproducible from `seed`. */
export function randomTensorFill(type: GgmlType, seed: number): TensorFill {
  const prng = new Xorshift32(seed)
  switch (type) {
    case GgmlType.Q8_0:
      return quantizedFill(prng, ggmlTypeLayout(type).blockBytes, Q8_0_SCALE)
    case GgmlType.Q4_0:
      return quantizedFill(prng, ggmlTypeLayout(type).blockBytes, Q4_0_SCALE)
    case GgmlType.F16:
      return (chunk) => {
        const words = randomWords(prng, chunk)
        // Keep sign and the low exponent bit + mantissa of each half, force the exponent to 8 or
        // 9: magnitudes in [2^-7, 2^-5), i.e. roughly ±0.008..0.031, in one pass of bit masks.
        for (let i = 0; i < words.length; i++) words[i] = ((words[i] ?? 0) & 0x87ff87ff) | 0x20002000
      }
    case GgmlType.F32:
      return (chunk) => {
        const words = randomWords(prng, chunk)
        const floats = new Float32Array(words.buffer, words.byteOffset, words.length)
        for (let i = 0; i < words.length; i++) {
          floats[i] = (((words[i] ?? 0) >>> 8) / 0x800000 - 1) * F32_RANGE
        }
      }
  }
}

/** Every value equal to `value`: RMS-norm weights of 1 leave the normalised activations alone. */
export function constantTensorFill(type: GgmlType, value: number): TensorFill {
  switch (type) {
    case GgmlType.F32:
      return (chunk) => new Float32Array(chunk.buffer, chunk.byteOffset, chunk.byteLength / 4).fill(value)
    case GgmlType.F16:
      return (chunk) =>
        new Uint16Array(chunk.buffer, chunk.byteOffset, chunk.byteLength / 2).fill(f32ToF16Bits(value))
    case GgmlType.Q8_0:
      return blockPatternFill(ggmlTypeLayout(type).blockBytes, value, 1)
    case GgmlType.Q4_0:
      return blockPatternFill(ggmlTypeLayout(type).blockBytes, value, 0x99) // nibble 9 = +1 * d
  }
}

/**
 * Quantized blocks straight from random bytes: every quant byte is already a valid int8 or pair of
 * nibbles, so only the 2-byte scale needs writing. Its sign comes from a random bit of the byte it
 * replaces, which cancels Q4_0's lopsided [-8, 7] range on average.
 */
function quantizedFill(prng: Xorshift32, blockBytes: number, scale: number): TensorFill {
  const scaleBits = f32ToF16Bits(scale)
  const low = scaleBits & 0xff
  const high = scaleBits >>> 8
  return (chunk) => {
    randomWords(prng, chunk)
    for (let offset = 0; offset + 1 < chunk.length; offset += blockBytes) {
      chunk[offset + 1] = high | ((chunk[offset + 1] ?? 0) & 0x80)
      chunk[offset] = low
    }
  }
}

function blockPatternFill(blockBytes: number, scale: number, quantByte: number): TensorFill {
  const scaleBits = f32ToF16Bits(scale)
  return (chunk) => {
    chunk.fill(quantByte)
    for (let offset = 0; offset + 1 < chunk.length; offset += blockBytes) {
      chunk[offset] = scaleBits & 0xff
      chunk[offset + 1] = scaleBits >>> 8
    }
  }
}

/** Fills the chunk with random bytes and returns its whole-word view. */
function randomWords(prng: Xorshift32, chunk: Uint8Array): Uint32Array {
  if (chunk.byteOffset % 4 !== 0) throw new Error('tensor chunks must start on a 4-byte boundary')
  const words = new Uint32Array(chunk.buffer, chunk.byteOffset, chunk.byteLength >>> 2)
  prng.fill(words)
  for (let i = words.length * 4; i < chunk.length; i++) chunk[i] = prng.next() & 0xff
  return words
}
