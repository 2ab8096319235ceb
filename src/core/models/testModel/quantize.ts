/**
 * Reference block encoders and decoders for the ggml types the generator writes. They follow
 * ggml's `quantize_row_*_ref` so tests can check the random fillers produce what llama.cpp reads;
 * the generator itself writes random quants directly, which is much faster than encoding floats.
 */

export const QK = 32 // values per Q8_0 / Q4_0 block
export const Q8_0_BLOCK_BYTES = 34
export const Q4_0_BLOCK_BYTES = 18

const scratchF32 = new Float32Array(1)
const scratchU32 = new Uint32Array(scratchF32.buffer)

/** IEEE 754 binary16 bits of `value`, rounding to nearest even like ggml's converter. */
export function f32ToF16Bits(value: number): number {
  scratchF32[0] = value
  const x = scratchU32[0] ?? 0
  const sign = (x >>> 16) & 0x8000
  const exponent = (x >>> 23) & 0xff
  let mantissa = x & 0x7fffff
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa === 0 ? 0 : 0x200)
  const halfExponent = exponent - 127 + 15
  if (halfExponent >= 0x1f) return sign | 0x7c00
  if (halfExponent <= 0) {
    // Subnormal half: shift the full 24-bit significand into place, rounding to nearest even.
    if (halfExponent < -10) return sign
    mantissa |= 0x800000
    const shift = 14 - halfExponent
    let half = mantissa >>> shift
    const rest = mantissa & ((1 << shift) - 1)
    const halfway = 1 << (shift - 1)
    if (rest > halfway || (rest === halfway && (half & 1) === 1)) half++
    return sign | half
  }
  let half = (halfExponent << 10) | (mantissa >>> 13)
  const rest = mantissa & 0x1fff
  // A carry out of the mantissa correctly bumps the exponent (and overflows to infinity).
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half++
  return sign | half
}

export function f16BitsToF32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1
  const exponent = (bits >>> 10) & 0x1f
  const mantissa = bits & 0x3ff
  if (exponent === 0) return sign * mantissa * 2 ** -24
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15)
}

export function encodeF32(values: ArrayLike<number>): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer)
}

export function encodeF16(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 2)
  const view = new DataView(out.buffer)
  for (let i = 0; i < values.length; i++) view.setUint16(i * 2, f32ToF16Bits(values[i] ?? 0), true)
  return out
}

export function decodeF16(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const out = new Float32Array(bytes.byteLength / 2)
  for (let i = 0; i < out.length; i++) out[i] = f16BitsToF32(view.getUint16(i * 2, true))
  return out
}

/** Q8_0: per block d = max|x| / 127 and q = round(x / d). */
export function encodeQ8_0(values: ArrayLike<number>): Uint8Array {
  const blocks = blockCount(values.length)
  const out = new Uint8Array(blocks * Q8_0_BLOCK_BYTES)
  const view = new DataView(out.buffer)
  for (let b = 0; b < blocks; b++) {
    let amax = 0
    for (let j = 0; j < QK; j++) amax = Math.max(amax, Math.abs(values[b * QK + j] ?? 0))
    const d = amax / 127
    const inverse = d === 0 ? 0 : 1 / d
    const base = b * Q8_0_BLOCK_BYTES
    view.setUint16(base, f32ToF16Bits(d), true)
    for (let j = 0; j < QK; j++) {
      view.setInt8(base + 2 + j, roundHalfAwayFromZero((values[b * QK + j] ?? 0) * inverse))
    }
  }
  return out
}

export function decodeQ8_0(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const blocks = bytes.byteLength / Q8_0_BLOCK_BYTES
  const out = new Float32Array(blocks * QK)
  for (let b = 0; b < blocks; b++) {
    const base = b * Q8_0_BLOCK_BYTES
    const d = f16BitsToF32(view.getUint16(base, true))
    for (let j = 0; j < QK; j++) out[b * QK + j] = view.getInt8(base + 2 + j) * d
  }
  return out
}

/**
 * Q4_0: d = (signed value of largest magnitude) / -8, nibble = min(15, trunc(x / d + 8.5)).
 * Byte j holds element j in its low nibble and element j + 16 in its high nibble.
 */
export function encodeQ4_0(values: ArrayLike<number>): Uint8Array {
  const blocks = blockCount(values.length)
  const out = new Uint8Array(blocks * Q4_0_BLOCK_BYTES)
  const view = new DataView(out.buffer)
  for (let b = 0; b < blocks; b++) {
    let amax = 0
    let max = 0
    for (let j = 0; j < QK; j++) {
      const v = values[b * QK + j] ?? 0
      if (Math.abs(v) > amax) {
        amax = Math.abs(v)
        max = v
      }
    }
    const d = max / -8
    const inverse = d === 0 ? 0 : 1 / d
    const base = b * Q4_0_BLOCK_BYTES
    view.setUint16(base, f32ToF16Bits(d), true)
    for (let j = 0; j < QK / 2; j++) {
      const low = Math.min(15, Math.trunc((values[b * QK + j] ?? 0) * inverse + 8.5))
      const high = Math.min(15, Math.trunc((values[b * QK + j + QK / 2] ?? 0) * inverse + 8.5))
      out[base + 2 + j] = low | (high << 4)
    }
  }
  return out
}

export function decodeQ4_0(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const blocks = bytes.byteLength / Q4_0_BLOCK_BYTES
  const out = new Float32Array(blocks * QK)
  for (let b = 0; b < blocks; b++) {
    const base = b * Q4_0_BLOCK_BYTES
    const d = f16BitsToF32(view.getUint16(base, true))
    for (let j = 0; j < QK / 2; j++) {
      const byte = bytes[base + 2 + j] ?? 0
      out[b * QK + j] = ((byte & 0x0f) - 8) * d
      out[b * QK + j + QK / 2] = ((byte >>> 4) - 8) * d
    }
  }
  return out
}

function blockCount(length: number): number {
  if (length % QK !== 0) throw new Error(`${length} values do not fill whole ${QK}-value blocks`)
  return length / QK
}

function roundHalfAwayFromZero(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value))
}
