import { availableParallelism } from 'node:os'
import type { Llama, LlamaGpuType } from 'node-llama-cpp'

export interface HardwareInfo {
  /** The compute backend the loaded llama.cpp binary uses (false: CPU only). */
  readonly gpu: LlamaGpuType
  readonly gpuDevices: readonly string[]
  readonly vram: { readonly totalBytes: number; readonly usedBytes: number; readonly freeBytes: number }
  readonly ram: { readonly totalBytes: number; readonly freeBytes: number }
  readonly cpuCores: number
  /** Cores llama.cpp considers useful for math (performance cores). */
  readonly cpuMathCores: number
  readonly buildType: 'localBuild' | 'prebuilt'
}

export async function describeHardware(llama: Llama): Promise<HardwareInfo> {
  const [vram, ram, gpuDevices] = await Promise.all([
    llama.getVramState(),
    llama.getRamState(),
    llama.gpu === false ? Promise.resolve([]) : llama.getGpuDeviceNames()
  ])
  return {
    gpu: llama.gpu,
    gpuDevices,
    vram: { totalBytes: vram.total, usedBytes: vram.used, freeBytes: vram.free },
    ram: { totalBytes: ram.total, freeBytes: ram.free },
    cpuCores: availableParallelism(),
    cpuMathCores: llama.cpuMathCores,
    buildType: llama.buildType
  }
}
