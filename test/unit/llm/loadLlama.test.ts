import type { Llama, LlamaGpuType, LlamaOptions } from 'node-llama-cpp'
import { describe, expect, it } from 'vitest'
import { loadLlama, type GpuProbeResult, type LoadLlamaDependencies } from '../../../src/core/llm/index.js'

/** A fake machine: which GPU binaries load and which of those really run. */
function machine(loads: Exclude<LlamaGpuType, false>[], runs: Exclude<LlamaGpuType, false>[]) {
  const calls: LlamaOptions[] = []
  const disposed: LlamaGpuType[] = []
  const fakeLlama = (gpu: LlamaGpuType) => ({ gpu, dispose: async () => void disposed.push(gpu) }) as unknown as Llama
  const deps: LoadLlamaDependencies = {
    async getLlama(options) {
      calls.push(options)
      const gpu = options.gpu
      if (gpu === false) return fakeLlama(false)
      if (typeof gpu === 'object') return fakeLlama(loads.find((type) => !gpu.exclude?.includes(type)) ?? false)
      if (gpu === 'auto') return fakeLlama(loads[0] ?? false)
      const named = gpu as Exclude<LlamaGpuType, false>
      if (!loads.includes(named)) throw new Error(`NoBinaryFoundError for ${named}`)
      return fakeLlama(named)
    },
    async probeGpu(gpu): Promise<GpuProbeResult> {
      return runs.includes(gpu)
        ? { ok: true, reason: null, durationMs: 1 }
        : { ok: false, reason: 'CUDA error: the provided PTX was compiled with an unsupported toolchain. (exit code 134)', durationMs: 1 }
    }
  }
  return { deps, calls, disposed }
}

describe('loadLlama', () => {
  it('uses a GPU that loads and passes the test run, with no warning', async () => {
    const { deps } = machine(['cuda'], ['cuda'])
    const { llama, warnings } = await loadLlama({ gpu: 'auto', threads: 2 }, deps)
    expect(llama.gpu).toBe('cuda')
    expect(warnings).toEqual([])
  })

  it('falls back from a CUDA binary that loads but dies at the first decode to Vulkan, saying why', async () => {
    const { deps, disposed } = machine(['cuda', 'vulkan'], ['vulkan'])
    const { llama, warnings } = await loadLlama({ gpu: 'auto', threads: 2 }, deps)
    expect(llama.gpu).toBe('vulkan')
    expect(disposed).toEqual(['cuda'])
    expect(warnings).toEqual([{ code: 'gpu-unavailable', message: expect.stringContaining('the provided PTX was compiled with an unsupported toolchain') }])
  })

  it('ends on the CPU when no GPU works', async () => {
    const { deps } = machine(['cuda', 'vulkan'], [])
    const { llama, warnings } = await loadLlama({ gpu: 'auto', threads: 2 }, deps)
    expect(llama.gpu).toBe(false)
    expect(warnings).toHaveLength(2)
  })

  it('on a machine without a GPU, auto quietly means the CPU', async () => {
    const { deps } = machine([], [])
    expect(await loadLlama({ gpu: 'auto', threads: 2 }, deps)).toMatchObject({ llama: { gpu: false }, warnings: [] })
  })

  it('an explicit GPU whose binary does not load falls back to the CPU with a warning', async () => {
    const { deps } = machine([], [])
    const { llama, warnings } = await loadLlama({ gpu: 'cuda', threads: 2 }, deps)
    expect(llama.gpu).toBe(false)
    expect(warnings[0]?.message).toMatch(/cuda binary could be loaded.*NoBinaryFoundError/)
  })

  it("with onGpuFailure 'error' throws BackendError gpu-unavailable instead", async () => {
    const { deps } = machine(['cuda'], [])
    await expect(loadLlama({ gpu: 'cuda', threads: 2, onGpuFailure: 'error' }, deps)).rejects.toMatchObject({
      code: 'gpu-unavailable',
      message: expect.stringContaining('PTX')
    })
  })

  it('always passes the thread count as the cap and never builds from source', async () => {
    const { deps, calls } = machine([], [])
    await loadLlama({ gpu: false, threads: 3 }, deps)
    expect(calls).toEqual([expect.objectContaining({ gpu: false, maxThreads: 3, build: 'never' })])
  })
})
