import type { ChatHistoryItem, ChatWrapper, LlamaModel, LlamaText, Token } from 'node-llama-cpp'
import type { ChatMessage, PromptFormat } from '../backend.js'
import { renderAlpacaPrompt } from '../renderAlpacaPrompt.js'

export interface RenderedPrompt {
  readonly tokens: Token[]
  /** Single tokens that end the answer besides the model's end-of-generation tokens (e.g. `<|im_end|>`). */
  readonly stopTokens: ReadonlySet<Token>
  /** Text that ends the answer, from the chat template (the request's own stop strings come on top). */
  readonly stopStrings: readonly string[]
}

/**
 * Renders messages to prompt tokens ourselves, rather than through LlamaChat, so the backend
 * controls prefix reuse, sampling and stopping on a leased sequence.
 * - 'chat-template': node-llama-cpp's chat wrapper for the model (its Jinja template, or a
 *   specialised wrapper it recognises), ending with an open assistant turn.
 * - 'sdf-alpaca': SDF v0's raw alpaca text, tokenized as llama-cpp-python did (BOS when the model
 *   asks for one, special-token text such as `</s>` parsed as special tokens).
 */
export class PromptRenderer {
  private readonly model: LlamaModel
  private readonly chatWrapper: ChatWrapper

  constructor(model: LlamaModel, chatWrapper: ChatWrapper) {
    this.model = model
    this.chatWrapper = chatWrapper
  }

  get chatWrapperName(): string {
    return this.chatWrapper.wrapperName
  }

  render(messages: readonly ChatMessage[], format: PromptFormat): RenderedPrompt {
    if (format === 'sdf-alpaca') {
      return { tokens: this.alpacaTokens(messages), stopTokens: new Set(), stopStrings: [] }
    }
    const { contextText, stopGenerationTriggers } = this.chatWrapper.generateContextState({ chatHistory: toChatHistory(messages) })
    return { tokens: contextText.tokenize(this.model.tokenizer), ...this.stopTriggers(stopGenerationTriggers) }
  }

  count(messages: readonly ChatMessage[], format: PromptFormat): number {
    if (format === 'sdf-alpaca') return this.alpacaTokens(messages).length
    return this.chatWrapper.generateContextState({ chatHistory: toChatHistory(messages) }).contextText.tokenize(this.model.tokenizer).length
  }

  /** For trimming: `text` without its first `count` tokens. */
  dropLeadingTokens(text: string, count: number): string {
    const tokens = this.model.tokenize(text, false)
    if (count >= tokens.length) return ''
    return this.model.detokenize(tokens.slice(count), false, tokens.slice(Math.max(0, count - 3), count))
  }

  private alpacaTokens(messages: readonly ChatMessage[]): Token[] {
    const text = this.model.tokenize(renderAlpacaPrompt(messages), true)
    const bos = this.model.tokens.bos
    return bos !== null && this.model.tokens.shouldPrependBosToken ? [bos, ...text] : text
  }

  private stopTriggers(triggers: readonly LlamaText[]): Pick<RenderedPrompt, 'stopTokens' | 'stopStrings'> {
    const stopTokens = new Set<Token>()
    const stopStrings: string[] = []
    for (const trigger of triggers) {
      const [only, ...rest] = trigger.values
      if (typeof only === 'string' && rest.length === 0) {
        stopStrings.push(only)
        continue
      }
      const tokens = trigger.tokenize(this.model.tokenizer)
      if (tokens.length === 1) stopTokens.add(tokens[0]!)
    }
    return { stopTokens, stopStrings }
  }
}

/** Ends with an empty model turn, which the wrappers render as the open assistant header. */
function toChatHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((message) => {
    if (message.role === 'system') return { type: 'system', text: message.content }
    if (message.role === 'user') return { type: 'user', text: message.content }
    return { type: 'model', response: [message.content] }
  })
  history.push({ type: 'model', response: [] })
  return history
}
