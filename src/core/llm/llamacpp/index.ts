export {
  createLlamaCppBackend,
  LlamaCppBackend,
  type LlamaCppBackendInfo,
  type LlamaCppBackendOptions
} from './LlamaCppBackend.js'
export { loadLlama, type GpuOption, type LoadedLlama, type LoadLlamaDependencies, type LoadLlamaOptions } from './loadLlama.js'
export { probeGpu, type GpuProbeResult, type ProbeGpuOptions } from './probeGpu.js'
export { PromptRenderer, type RenderedPrompt } from './PromptRenderer.js'
export { defaultLlamaThreads } from './defaultThreads.js'
