export { createOpenAiBackend, OpenAiBackend, type OpenAiBackendInfo, type OpenAiBackendOptions } from './OpenAiBackend.js'
export type { OpenAiEndpoint, OpenAiJsonMode } from './EndpointPool.js'
export { parseSseStream, type SseEvent } from './parseSseStream.js'
