import { gguf, type GgufMetadata } from './ggufValue.js'
import { SPM_SPECIAL_TOKENS, buildSpmVocabulary, type SpmVocabulary } from './spmVocabulary.js'
import { headDimension, type TestModelQuant, type TestModelShape } from './testModelShapes.js'

/** llama.cpp's `llama_ftype` for a file whose matrices are all of one type. */
const FILE_TYPE: Record<TestModelQuant, number> = { f16: 1, q4_0: 2, q8_0: 7 }

/**
 * ChatML, written exactly as node-llama-cpp renders its ChatML wrapper (BOS first), so the template
 * is recognised as equivalent and the fast built-in wrapper is used instead of a Jinja interpreter.
 */
export const CHATML_TEMPLATE =
  '{{ bos_token }}' +
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"

// All Llama 3 shapes share one 128k vocabulary; build it once per process, not once per shape.
const vocabularies = new Map<number, SpmVocabulary>()

function vocabularyOf(size: number): SpmVocabulary {
  let vocabulary = vocabularies.get(size)
  if (!vocabulary) {
    vocabulary = buildSpmVocabulary(size)
    vocabularies.set(size, vocabulary)
  }
  return vocabulary
}

export function testModelName(shape: TestModelShape): string {
  return `SDF Studio test model (${shape.name}, random weights)`
}

export function llamaMetadata(
  shape: TestModelShape,
  quant: TestModelQuant,
  alignment: number,
  seed: number
): GgufMetadata {
  const vocabulary = vocabularyOf(shape.vocabSize)
  return [
    ['general.architecture', gguf.string('llama')],
    ['general.name', gguf.string(testModelName(shape))],
    [
      'general.description',
      gguf.string(`Random weights (seed ${seed}) in the shape of ${shape.description}; generates gibberish.`)
    ],
    ['general.alignment', gguf.u32(alignment)],
    ['general.file_type', gguf.u32(FILE_TYPE[quant])],
    ['llama.context_length', gguf.u32(shape.contextLength)],
    ['llama.embedding_length', gguf.u32(shape.embeddingLength)],
    ['llama.block_count', gguf.u32(shape.blockCount)],
    ['llama.feed_forward_length', gguf.u32(shape.feedForwardLength)],
    ['llama.attention.head_count', gguf.u32(shape.headCount)],
    ['llama.attention.head_count_kv', gguf.u32(shape.headCountKv)],
    ['llama.attention.layer_norm_rms_epsilon', gguf.f32(1e-5)],
    ['llama.rope.dimension_count', gguf.u32(headDimension(shape))],
    ['llama.rope.freq_base', gguf.f32(shape.ropeFreqBase)],
    ['llama.vocab_size', gguf.u32(shape.vocabSize)],
    ['tokenizer.ggml.model', gguf.string('llama')],
    ['tokenizer.ggml.tokens', gguf.strings(vocabulary.tokens)],
    ['tokenizer.ggml.scores', gguf.f32s(vocabulary.scores)],
    ['tokenizer.ggml.token_type', gguf.i32s(vocabulary.tokenTypes)],
    ['tokenizer.ggml.bos_token_id', gguf.u32(SPM_SPECIAL_TOKENS.bos.id)],
    ['tokenizer.ggml.eos_token_id', gguf.u32(SPM_SPECIAL_TOKENS.eos.id)],
    ['tokenizer.ggml.unknown_token_id', gguf.u32(SPM_SPECIAL_TOKENS.unk.id)],
    ['tokenizer.ggml.eot_token_id', gguf.u32(SPM_SPECIAL_TOKENS.imEnd.id)],
    ['tokenizer.ggml.add_bos_token', gguf.bool(true)],
    ['tokenizer.ggml.add_eos_token', gguf.bool(false)],
    ['tokenizer.chat_template', gguf.string(CHATML_TEMPLATE)]
  ]
}
