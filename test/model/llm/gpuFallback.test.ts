import { describe, expect, it } from 'vitest'
import { createLlamaCppBackend, loadLlama, probeGpu } from '../../../src/core/llm/index.js'
import { tinyModelPath } from '../../helpers/testModel.js'

// This machine has no GPU, while node-llama-cpp's CUDA binaries are installed: the same situation,
// for our code, as a GPU binary that cannot run. (Own file: these tests load their own Llama.)
describe('GPU fallback on a machine where CUDA cannot run', () => {
  it('the child-process probe runs a model to the end when the backend works (here the CPU)', async () => {
    expect(await probeGpu(false)).toMatchObject({ ok: true, reason: null })
  })

  it('the probe reports a backend that cannot run, without throwing', async () => {
    const result = await probeGpu('cuda')
    expect(result.ok).toBe(false)
    expect(result.reason).toMatch(/\S/)
  })

  it('asking for CUDA falls back to the CPU with a gpu-unavailable warning, and generates', async () => {
    const backend = await createLlamaCppBackend({ modelPath: await tinyModelPath(), gpu: 'cuda', threads: 1, sequences: 1, contextSize: 256 })
    try {
      expect(backend.info.gpu).toBe(false)
      expect(backend.warnings).toEqual([{ code: 'gpu-unavailable', message: expect.stringMatching(/^GPU unavailable, using the CPU instead: the cuda binary/) }])
      const result = await backend.generate({ messages: [{ role: 'user', content: 'hello' }], maxTokens: 8 })
      expect(result.stats.generatedTokens).toBe(8)
    } finally {
      await backend.dispose()
    }
  })

  it("with onGpuFailure 'error' it throws BackendError gpu-unavailable instead", async () => {
    await expect(loadLlama({ gpu: 'cuda', threads: 1, onGpuFailure: 'error' })).rejects.toMatchObject({ name: 'BackendError', code: 'gpu-unavailable' })
  })
})
