import type { Llama } from 'node-llama-cpp'
import { nodeLlamaCpp } from './nodeLlamaCpp.js'
import type { ModelFile } from './readModelFile.js'

/** What the model list shows about a GGUF file, all read from its header (nothing is loaded). */
export interface ModelMetadata {
  /** `general.name`, when the file has one. */
  readonly name: string | null
  readonly architecture: string
  /** Counted from the tensor shapes; null when the header has no tensor info. */
  readonly parameterCount: number | null
  /** `general.size_label` (e.g. "8B"), when present. */
  readonly sizeLabel: string | null
  /** The file type as llama.cpp names the quantisation, e.g. "Q4_K_M", "Q8_0", "F16". */
  readonly quantization: string | null
  readonly trainedContextLength: number | null
  readonly layerCount: number | null
  readonly hasChatTemplate: boolean
}

export async function describeModelFile(file: ModelFile, llama?: Llama): Promise<ModelMetadata> {
  const { metadata, architectureMetadata } = file.info
  const { GgufFileType, GgufInsights } = await nodeLlamaCpp()
  const insights = await GgufInsights.from(file.info, llama)
  const fileType = metadata.general.file_type
  const contextLength = architectureMetadata.context_length
  const blockCount = architectureMetadata.block_count
  return {
    name: metadata.general.name ?? null,
    architecture: String(metadata.general.architecture),
    parameterCount: file.info.tensorInfo && file.info.tensorInfo.length > 0 ? insights.totalParameters : null,
    sizeLabel: metadata.general.size_label ?? null,
    quantization: fileType === undefined ? null : quantizationName(fileType, GgufFileType),
    trainedContextLength: typeof contextLength === 'number' ? contextLength : null,
    layerCount: typeof blockCount === 'number' ? blockCount : null,
    hasChatTemplate: typeof metadata.tokenizer?.chat_template === 'string' && metadata.tokenizer.chat_template.length > 0
  }
}

/** `MOSTLY_Q4_K_M` → `Q4_K_M`, `ALL_F32` → `F32`: the names people search model hubs by. */
function quantizationName(fileType: number, names: object): string {
  const name = (names as Record<number, string | undefined>)[fileType]
  return name === undefined ? `type ${fileType}` : name.replace(/^(MOSTLY|ALL)_/, '')
}
