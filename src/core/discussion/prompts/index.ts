export * from './sdfStrings.js'
export { sdfV0Context, sdfV0SystemPrompt, sdfV01SystemPrompt, sdfHistoryItem, sdfUserPrompt, sdfAnnotatorPrompt, type SdfSystemPromptParts } from './sdfPrompts.js'
export { AttributeStyleSchema, renderSdfAttributes, sdfSexWord, type AttributeStyle } from './sdfAttributes.js'
export { pythonTextwrapFill, pythonTextwrapWrap } from './pythonTextwrap.js'
export { pythonStr, pythonRepr, pythonStringRepr, pythonFloatRepr, type PythonValue } from './pythonStr.js'
export { isPythonSpace, pythonStrip, isPythonBlank } from './pythonWhitespace.js'
export { historyWindow, seedHistoryEntries, type HistoryEntry } from './historyEntry.js'
export type { PromptInput } from './promptInput.js'
export { personaAttributeLines } from './personaAttributeLines.js'
export { parsePromptTemplate, renderPromptTemplate, PromptTemplateError, type TemplatePart } from './promptTemplate.js'
export {
  PromptTemplatesSchema,
  PROMPT_PLACEHOLDERS,
  HISTORY_ITEM_PLACEHOLDERS,
  customPromptMessages,
  type PromptTemplates
} from './customPrompt.js'
export { modernSystemPrompt, modernPromptMessages, type ModernHistoryStyle } from './modernPrompt.js'
export { PromptModeSchema, type PromptMode } from './promptMode.js'
export { renderSpeakerPrompt, renderPromptPreview, type SpeakerPrompt, type PromptPreview } from './renderSpeakerPrompt.js'
export { fitHistoryToBudget, type HistoryBudget, type FittedHistory } from './fitHistoryToBudget.js'
