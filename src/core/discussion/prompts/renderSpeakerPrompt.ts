import type { ChatMessage, PromptFormat } from '../../llm/backend.js'
import { renderAlpacaPrompt } from '../../llm/renderAlpacaPrompt.js'
import { customPromptMessages } from './customPrompt.js'
import { modernPromptMessages } from './modernPrompt.js'
import type { PromptInput } from './promptInput.js'
import type { PromptMode } from './promptMode.js'
import { renderSdfAttributes } from './sdfAttributes.js'
import { sdfHistoryItem, sdfUserPrompt, sdfV01SystemPrompt, sdfV0SystemPrompt } from './sdfPrompts.js'
import { SDF_STOP_STRINGS } from './sdfStrings.js'

/** What the engine sends for one turn: the `GenerationRequest` fields a prompt mode decides. */
export interface SpeakerPrompt {
  messages: ChatMessage[]
  promptFormat: PromptFormat
  stop: string[]
}

/** A speaker's turn under `mode`. Pure: the same input always gives the same messages. */
export function renderSpeakerPrompt(mode: PromptMode, input: PromptInput): SpeakerPrompt {
  switch (mode.kind) {
    case 'sdf-v0':
    case 'sdf-v0.1': {
      const attributes = input.attributes ?? (input.persona ? renderSdfAttributes(input.persona, mode.attribute_style) : [])
      const parts = { name: input.name, attributes, context: input.context, instructions: input.instructions }
      const system = mode.kind === 'sdf-v0' ? sdfV0SystemPrompt(parts) : sdfV01SystemPrompt(parts)
      const user = sdfUserPrompt(
        input.history.map((entry) => sdfHistoryItem(entry.author, entry.text)),
        input.name
      )
      return {
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: user }
        ],
        promptFormat: mode.prompt_format,
        stop: [...SDF_STOP_STRINGS]
      }
    }
    case 'modern':
      return { messages: modernPromptMessages(input, mode.history), promptFormat: 'chat-template', stop: [] }
    case 'custom':
      return { messages: customPromptMessages(mode.templates, input), promptFormat: 'chat-template', stop: [] }
  }
}

export interface PromptPreview extends SpeakerPrompt {
  /** The system message. */
  system: string
  /** The last user message: the one the model answers. */
  user: string
  /**
   * The exact text the model reads for `sdf-alpaca`; null for `chat-template`, which only the loaded
   * model's own template can render.
   */
  rawPrompt: string | null
}

/** The exact text a speaker would be given, for showing before a run. */
export function renderPromptPreview(mode: PromptMode, input: PromptInput): PromptPreview {
  const prompt = renderSpeakerPrompt(mode, input)
  const system = prompt.messages.find((message) => message.role === 'system')?.content ?? ''
  const user = [...prompt.messages].reverse().find((message) => message.role === 'user')?.content ?? ''
  const rawPrompt = prompt.promptFormat === 'sdf-alpaca' ? renderAlpacaPrompt(prompt.messages) : null
  return { ...prompt, system, user, rawPrompt }
}
