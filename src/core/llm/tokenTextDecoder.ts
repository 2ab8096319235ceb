/** Turns tokens into text; `context` holds a few preceding tokens (SentencePiece needs them for spaces). */
export type Detokenize<T extends number = number> = (tokens: readonly T[], context: readonly T[]) => string

/** A UTF-8 character spans at most 4 bytes, so at most 4 byte tokens. */
const MAX_HELD_TOKENS = 4
/** node-llama-cpp's own detokenizer context length (`maxRecentDetokenizerTokens`). */
const CONTEXT_TOKENS = 3
const REPLACEMENT_CHARACTER = '\uFFFD'

/**
 * Streams tokens as text. A character split over byte tokens decodes to U+FFFD until its last byte
 * arrives, so a piece ending in U+FFFD is held back (up to 4 tokens) rather than emitted broken.
 * Random-weight test models emit invalid UTF-8 all the time; after 4 tokens it is let through.
 */
export class TokenTextDecoder<T extends number = number> {
  private readonly detokenize: Detokenize<T>
  private pending: T[] = []
  private context: T[] = []

  constructor(detokenize: Detokenize<T>, precedingTokens: readonly T[] = []) {
    this.detokenize = detokenize
    this.context = precedingTokens.slice(-CONTEXT_TOKENS)
  }

  /** Adds one token; returns the text that is complete now ('' while a character is still open). */
  push(token: T): string {
    this.pending.push(token)
    const text = this.detokenize(this.pending, this.context)
    if (text.endsWith(REPLACEMENT_CHARACTER) && this.pending.length < MAX_HELD_TOKENS) return ''
    this.commit()
    return text
  }

  /** Whatever is still held back, decoded as it is. */
  flush(): string {
    if (this.pending.length === 0) return ''
    const text = this.detokenize(this.pending, this.context)
    this.commit()
    return text
  }

  private commit(): void {
    this.context = [...this.context, ...this.pending].slice(-CONTEXT_TOKENS)
    this.pending = []
  }
}
