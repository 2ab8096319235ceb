/** Token types as llama.cpp's `llama_token_type` numbers them. */
export const SpmTokenType = {
  NORMAL: 1,
  UNKNOWN: 2,
  CONTROL: 3,
  BYTE: 6
} as const

export const SPM_SPECIAL_TOKENS = {
  unk: { id: 0, text: '<unk>' },
  bos: { id: 1, text: '<s>' },
  eos: { id: 2, text: '</s>' },
  imStart: { id: 3, text: '<|im_start|>' },
  imEnd: { id: 4, text: '<|im_end|>' }
} as const

/** SentencePiece's stand-in for a space. */
export const SPM_SPACE = '\u2581'

export interface SpmVocabulary {
  readonly tokens: readonly string[]
  readonly scores: Float32Array
  readonly tokenTypes: Int32Array
}

/**
 * Frequent English words, so ordinary prompts tokenise into fewer, word-like pieces the way a real
 * tokenizer would. Order matters: earlier words get higher merge scores.
 */
const COMMON_WORDS = [
  'the', 'of', 'and', 'to', 'in', 'is', 'you', 'that', 'it', 'he', 'was', 'for', 'on', 'are',
  'as', 'with', 'his', 'they', 'at', 'be', 'this', 'have', 'from', 'or', 'one', 'had', 'by',
  'word', 'but', 'not', 'what', 'all', 'were', 'we', 'when', 'your', 'can', 'said', 'there',
  'use', 'an', 'each', 'which', 'she', 'do', 'how', 'their', 'if', 'will', 'up', 'other',
  'about', 'out', 'many', 'then', 'them', 'these', 'so', 'some', 'her', 'would', 'make', 'like',
  'him', 'into', 'time', 'has', 'look', 'two', 'more', 'write', 'go', 'see', 'number', 'no',
  'way', 'could', 'people', 'my', 'than', 'first', 'water', 'been', 'call', 'who', 'oil', 'its',
  'now', 'find', 'long', 'down', 'day', 'did', 'get', 'come', 'made', 'may', 'part', 'hello',
  'world', 'yes', 'think', 'agree', 'because', 'should', 'discussion', 'post', 'reply', 'user',
  'assistant', 'system', 'true', 'false', 'null'
]

const FILLER_ALPHABET = 'abcdefghijklmnopqrstuvwxyz'

/**
 * A SentencePiece ("llama") vocabulary of exactly `size` unique tokens: control tokens, the 256
 * byte-fallback tokens (so any text tokenises), "▁", printable ASCII, common words, then filler
 * letter combinations to reach the size a real model's embedding matrix has.
 */
export function buildSpmVocabulary(size: number): SpmVocabulary {
  const tokens: string[] = []
  const types: number[] = []
  const seen = new Set<string>()
  const add = (text: string, type: number): boolean => {
    if (tokens.length >= size || seen.has(text)) return false
    seen.add(text)
    tokens.push(text)
    types.push(type)
    return true
  }

  add(SPM_SPECIAL_TOKENS.unk.text, SpmTokenType.UNKNOWN)
  add(SPM_SPECIAL_TOKENS.bos.text, SpmTokenType.CONTROL)
  add(SPM_SPECIAL_TOKENS.eos.text, SpmTokenType.CONTROL)
  add(SPM_SPECIAL_TOKENS.imStart.text, SpmTokenType.CONTROL)
  add(SPM_SPECIAL_TOKENS.imEnd.text, SpmTokenType.CONTROL)
  for (let byte = 0; byte < 256; byte++) {
    add(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`, SpmTokenType.BYTE)
  }
  const firstNormal = tokens.length
  add(SPM_SPACE, SpmTokenType.NORMAL)
  // Space itself is never a piece: SentencePiece rewrites it to "▁" before tokenising.
  for (let code = 0x21; code <= 0x7e; code++) add(String.fromCharCode(code), SpmTokenType.NORMAL)
  const minimumSize = tokens.length
  if (size < minimumSize) {
    throw new Error(`an SPM test vocabulary needs at least ${minimumSize} tokens, got ${size}`)
  }
  for (const word of COMMON_WORDS) {
    add(SPM_SPACE + word, SpmTokenType.NORMAL)
    add(word, SpmTokenType.NORMAL)
  }
  for (const piece of fillerPieces()) {
    if (tokens.length >= size) break
    add(SPM_SPACE + piece, SpmTokenType.NORMAL)
    add(piece, SpmTokenType.NORMAL)
  }

  const scores = new Float32Array(size)
  // Special and byte tokens score 0 like in real Llama vocabularies; normal pieces get strictly
  // descending scores so SentencePiece's merge order is well defined.
  for (let id = firstNormal; id < size; id++) scores[id] = -(id - firstNormal)
  return { tokens, scores, tokenTypes: Int32Array.from(types) }
}

/** "aa".."zz", then "aaa".."zzz", and so on: plenty of unique pieces for a 128k vocabulary. */
function* fillerPieces(): Generator<string> {
  for (let length = 2; ; length++) {
    const total = FILLER_ALPHABET.length ** length
    for (let n = 0; n < total; n++) {
      let piece = ''
      let rest = n
      for (let i = 0; i < length; i++) {
        piece = (FILLER_ALPHABET[rest % FILLER_ALPHABET.length] ?? '') + piece
        rest = Math.floor(rest / FILLER_ALPHABET.length)
      }
      yield piece
    }
  }
}
