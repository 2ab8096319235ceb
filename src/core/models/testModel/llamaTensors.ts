import { GgmlType } from './ggmlType.js'
import type { GgufTensorInfo } from './ggufHeader.js'
import { headDimension, type TestModelShape } from './testModelShapes.js'

export interface LlamaTensor extends GgufTensorInfo {
  /** 1-D RMS-norm weights: kept F32 and set to 1 rather than random. */
  readonly isNorm: boolean
}

/**
 * The tensors llama.cpp's "llama" architecture expects, in llama.cpp's own naming and order. Shapes
 * are ggml `ne` order ([input, output]); matrices take `matrixType`, norms stay F32 as ggml needs.
 */
export function llamaTensors(shape: TestModelShape, matrixType: GgmlType): LlamaTensor[] {
  const embd = shape.embeddingLength
  const kvWidth = shape.headCountKv * headDimension(shape)
  const matrix = (name: string, ne: [number, number]): LlamaTensor => ({
    name,
    ne,
    type: matrixType,
    isNorm: false
  })
  const norm = (name: string): LlamaTensor => ({ name, ne: [embd], type: GgmlType.F32, isNorm: true })

  const tensors: LlamaTensor[] = [matrix('token_embd.weight', [embd, shape.vocabSize])]
  for (let i = 0; i < shape.blockCount; i++) {
    tensors.push(
      norm(`blk.${i}.attn_norm.weight`),
      matrix(`blk.${i}.attn_q.weight`, [embd, embd]),
      matrix(`blk.${i}.attn_k.weight`, [embd, kvWidth]),
      matrix(`blk.${i}.attn_v.weight`, [embd, kvWidth]),
      matrix(`blk.${i}.attn_output.weight`, [embd, embd]),
      norm(`blk.${i}.ffn_norm.weight`),
      matrix(`blk.${i}.ffn_gate.weight`, [embd, shape.feedForwardLength]),
      matrix(`blk.${i}.ffn_up.weight`, [embd, shape.feedForwardLength]),
      matrix(`blk.${i}.ffn_down.weight`, [shape.feedForwardLength, embd])
    )
  }
  tensors.push(norm('output_norm.weight'))
  if (!shape.tiedEmbeddings) tensors.push(matrix('output.weight', [embd, shape.vocabSize]))
  return tensors
}

export function countParameters(tensors: readonly GgufTensorInfo[]): number {
  return tensors.reduce((sum, tensor) => sum + tensor.ne.reduce((product, n) => product * n, 1), 0)
}
