export { createOpenAiRoutes, type OpenAiRoutes, type OpenAiRoutesOptions } from './createOpenAiRoutes.js'
export { alpacaMessagesFromPrompt } from './alpacaMessagesFromPrompt.js'
