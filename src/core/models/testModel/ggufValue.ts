/** GGUF metadata value type ids, as the GGUF v3 spec numbers them. */
export const GgufValueType = {
  U8: 0,
  I8: 1,
  U16: 2,
  I16: 3,
  U32: 4,
  I32: 5,
  F32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  U64: 10,
  I64: 11,
  F64: 12
} as const

export type GgufScalarType = Exclude<keyof typeof GgufValueType, 'ARRAY'>

/** A scalar carries its GGUF type explicitly: a JS number alone cannot say u32 from f32. */
export type GgufScalar =
  | { readonly type: 'U8' | 'I8' | 'U16' | 'I16' | 'U32' | 'I32' | 'F32' | 'F64'; readonly value: number }
  | { readonly type: 'U64' | 'I64'; readonly value: bigint }
  | { readonly type: 'BOOL'; readonly value: boolean }
  | { readonly type: 'STRING'; readonly value: string }

export type GgufArray =
  | {
      readonly type: 'ARRAY'
      readonly elementType: 'U8' | 'I8' | 'U16' | 'I16' | 'U32' | 'I32' | 'F32' | 'F64'
      readonly values: ArrayLike<number>
    }
  | { readonly type: 'ARRAY'; readonly elementType: 'U64' | 'I64'; readonly values: ArrayLike<bigint> }
  | { readonly type: 'ARRAY'; readonly elementType: 'BOOL'; readonly values: ArrayLike<boolean> }
  | { readonly type: 'ARRAY'; readonly elementType: 'STRING'; readonly values: ArrayLike<string> }

export type GgufValue = GgufScalar | GgufArray

/** Ordered key/value pairs: GGUF readers see keys in the order they are written. */
export type GgufMetadata = ReadonlyArray<readonly [key: string, value: GgufValue]>

/** Shorthands that keep metadata tables readable. */
export const gguf = {
  u32: (value: number): GgufValue => ({ type: 'U32', value }),
  i32: (value: number): GgufValue => ({ type: 'I32', value }),
  u64: (value: bigint): GgufValue => ({ type: 'U64', value }),
  f32: (value: number): GgufValue => ({ type: 'F32', value }),
  bool: (value: boolean): GgufValue => ({ type: 'BOOL', value }),
  string: (value: string): GgufValue => ({ type: 'STRING', value }),
  strings: (values: ArrayLike<string>): GgufValue => ({ type: 'ARRAY', elementType: 'STRING', values }),
  f32s: (values: ArrayLike<number>): GgufValue => ({ type: 'ARRAY', elementType: 'F32', values }),
  i32s: (values: ArrayLike<number>): GgufValue => ({ type: 'ARRAY', elementType: 'I32', values })
}
