import { describe, expect, it } from 'vitest'
import { gpuFit } from '../../../../src/renderer/src/results/gpuFit.js'

const GiB = 1024 ** 3

describe('whether a model fits the GPU', () => {
  it('fits when its size plus room for the cache is below the free VRAM', () => {
    expect(gpuFit(4 * GiB, { gpu: 'cuda', vram: { freeBytes: 8 * GiB } }).kind).toBe('fits')
  })

  it('partly fits when it is bigger, saying which share of layers would', () => {
    const fit = gpuFit(10 * GiB, { gpu: 'cuda', vram: { freeBytes: 6 * GiB } })
    expect(fit).toMatchObject({ kind: 'partial', fraction: 0.5 })
  })

  it('runs on the CPU without a GPU, and is unknown without a size', () => {
    expect(gpuFit(GiB, { gpu: false, vram: { freeBytes: 0 } }).kind).toBe('cpu')
    expect(gpuFit(null, { gpu: 'cuda', vram: { freeBytes: GiB } }).kind).toBe('unknown')
    expect(gpuFit(GiB, null).kind).toBe('unknown')
  })
})
