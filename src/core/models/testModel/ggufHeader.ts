import { ByteWriter } from './byteWriter.js'
import { ggmlTensorBytes, type GgmlType } from './ggmlType.js'
import { GgufValueType, type GgufMetadata, type GgufScalarType, type GgufValue } from './ggufValue.js'

export const GGUF_MAGIC = 0x46554747 // "GGUF" read as a little-endian u32
export const GGUF_VERSION = 3
export const GGUF_DEFAULT_ALIGNMENT = 32

export interface GgufTensorInfo {
  readonly name: string
  /** ggml order: ne[0] is the contiguous (input) dimension. */
  readonly ne: readonly number[]
  readonly type: GgmlType
}

export interface GgufLayout {
  /** Everything before the data section, already padded to the alignment. */
  readonly header: Uint8Array
  /** Absolute file offset of each tensor's data, in the order given. */
  readonly tensorOffsets: readonly number[]
  readonly tensorBytes: readonly number[]
  readonly totalBytes: number
}

export function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment
}

/**
 * Lays out a whole GGUF file without touching its data, so the writer knows the final size up front
 * and can stream tensors straight to disk.
 */
export function layoutGguf(
  metadata: GgufMetadata,
  tensors: readonly GgufTensorInfo[],
  alignment = GGUF_DEFAULT_ALIGNMENT
): GgufLayout {
  const writer = new ByteWriter()
  writer.u32(GGUF_MAGIC)
  writer.u32(GGUF_VERSION)
  writer.u64(tensors.length)
  writer.u64(metadata.length)
  for (const [key, value] of metadata) {
    writer.string(key)
    writeValue(writer, value)
  }

  const tensorBytes = tensors.map((tensor) => ggmlTensorBytes(tensor.type, tensor.ne))
  let relativeOffset = 0
  const relativeOffsets: number[] = []
  tensors.forEach((tensor, index) => {
    relativeOffsets.push(relativeOffset)
    writer.string(tensor.name)
    writer.u32(tensor.ne.length)
    for (const n of tensor.ne) writer.u64(n)
    writer.u32(tensor.type)
    writer.u64(relativeOffset)
    // Readers only require each offset to be aligned, so the padding goes after each tensor.
    relativeOffset = alignUp(relativeOffset + (tensorBytes[index] ?? 0), alignment)
  })

  const dataStart = alignUp(writer.byteLength, alignment)
  writer.zeros(dataStart - writer.byteLength)
  return {
    header: writer.bytes(),
    tensorOffsets: relativeOffsets.map((offset) => dataStart + offset),
    tensorBytes,
    totalBytes: dataStart + relativeOffset
  }
}

function writeValue(writer: ByteWriter, value: GgufValue): void {
  writer.u32(GgufValueType[value.type])
  if (value.type !== 'ARRAY') {
    writeScalar(writer, value.type, value.value)
    return
  }
  writer.u32(GgufValueType[value.elementType])
  writer.u64(value.values.length)
  for (let i = 0; i < value.values.length; i++) {
    writeScalar(writer, value.elementType, value.values[i] as number | bigint | boolean | string)
  }
}

function writeScalar(
  writer: ByteWriter,
  type: GgufScalarType,
  value: number | bigint | boolean | string
): void {
  switch (type) {
    case 'U8':
      return writer.u8(Number(value))
    case 'I8':
      return writer.i8(Number(value))
    case 'U16':
      return writer.u16(Number(value))
    case 'I16':
      return writer.i16(Number(value))
    case 'U32':
      return writer.u32(Number(value))
    case 'I32':
      return writer.i32(Number(value))
    case 'F32':
      return writer.f32(Number(value))
    case 'F64':
      return writer.f64(Number(value))
    case 'U64':
      return writer.u64(BigInt(value as bigint | number))
    case 'I64':
      return writer.i64(BigInt(value as bigint | number))
    case 'BOOL':
      return writer.u8(value ? 1 : 0)
    case 'STRING':
      return writer.string(String(value))
  }
}
