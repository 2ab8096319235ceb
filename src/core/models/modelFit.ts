import type { Llama, LlamaGpuType } from 'node-llama-cpp'
import { nodeLlamaCpp } from './nodeLlamaCpp.js'
import type { ModelFile } from './readModelFile.js'

/** How a model would load on this machine, as node-llama-cpp's resolver predicts it. */
export interface ModelFit {
  readonly gpu: LlamaGpuType
  /** Layers the resolver would offload (0 on the CPU); `totalLayers` counts the output layer too. */
  readonly gpuLayers: number
  readonly totalLayers: number
  readonly fullyOffloaded: boolean
  /** The context size it would pick (at least `targetContextSize` when that fits). */
  readonly contextSize: number
  readonly vramBytes: number
  readonly ramBytes: number
  /** node-llama-cpp's 0–1 compatibility score: 1 fits entirely, lower means partly or not at all. */
  readonly compatibilityScore: number
}

export async function fitModel(file: ModelFile, llama: Llama, options: { targetContextSize?: number } = {}): Promise<ModelFit> {
  const { GgufInsights } = await nodeLlamaCpp()
  const insights = await GgufInsights.from(file.info, llama)
  const { compatibilityScore, resolvedValues } = await insights.configurationResolver.resolveAndScoreConfig(
    options.targetContextSize === undefined ? {} : { targetContextSize: options.targetContextSize }
  )
  return {
    gpu: llama.gpu,
    gpuLayers: resolvedValues.gpuLayers,
    totalLayers: insights.totalLayers,
    fullyOffloaded: llama.gpu !== false && resolvedValues.gpuLayers >= insights.totalLayers,
    contextSize: resolvedValues.contextSize,
    vramBytes: resolvedValues.totalVramUsage,
    ramBytes: resolvedValues.totalRamUsage,
    compatibilityScore
  }
}
