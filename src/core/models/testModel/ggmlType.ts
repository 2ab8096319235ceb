/** The ggml tensor types this generator can write; the numbers are ggml's own enum values. */
export const GgmlType = {
  F32: 0,
  F16: 1,
  Q4_0: 2,
  Q8_0: 8
} as const

export type GgmlType = (typeof GgmlType)[keyof typeof GgmlType]

export interface GgmlTypeLayout {
  /** Values per block; plain float types are blocks of one. */
  readonly blockValues: number
  readonly blockBytes: number
}

const LAYOUTS: Record<GgmlType, GgmlTypeLayout> = {
  [GgmlType.F32]: { blockValues: 1, blockBytes: 4 },
  [GgmlType.F16]: { blockValues: 1, blockBytes: 2 },
  // f16 scale + 32 int8 quants
  [GgmlType.Q8_0]: { blockValues: 32, blockBytes: 34 },
  // f16 scale + 32 4-bit quants
  [GgmlType.Q4_0]: { blockValues: 32, blockBytes: 18 }
}

export function ggmlTypeLayout(type: GgmlType): GgmlTypeLayout {
  return LAYOUTS[type]
}

/** Bytes of a tensor's data; ggml quantizes along ne[0], so ne[0] must fill whole blocks. */
export function ggmlTensorBytes(type: GgmlType, ne: readonly number[]): number {
  const { blockValues, blockBytes } = LAYOUTS[type]
  const rowLength = ne[0] ?? 1
  if (rowLength % blockValues !== 0) {
    throw new Error(`ne[0] = ${rowLength} is not a multiple of the block size ${blockValues}`)
  }
  const elements = ne.reduce((product, n) => product * n, 1)
  return (elements / blockValues) * blockBytes
}
