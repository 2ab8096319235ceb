/** How a model would sit on this machine, judged from its file size against free VRAM. */
export type GpuFit =
  | { readonly kind: 'fits'; readonly note: string }
  | { readonly kind: 'partial'; readonly note: string; readonly fraction: number }
  | { readonly kind: 'cpu'; readonly note: string }
  | { readonly kind: 'unknown'; readonly note: string }

/** Weights plus room for the KV cache and compute buffers: a rough, deliberately cautious factor. */
export const VRAM_OVERHEAD = 1.2

export function gpuFit(sizeBytes: number | null, hardware: { gpu: string | false; vram: { freeBytes: number } } | null): GpuFit {
  if (sizeBytes === null || hardware === null) return { kind: 'unknown', note: 'Size or hardware unknown' }
  if (hardware.gpu === false || hardware.vram.freeBytes <= 0) return { kind: 'cpu', note: 'No GPU: runs on the CPU' }
  const needed = sizeBytes * VRAM_OVERHEAD
  if (needed <= hardware.vram.freeBytes) return { kind: 'fits', note: `Fits in free VRAM (${hardware.gpu})` }
  const fraction = Math.max(0, Math.min(1, hardware.vram.freeBytes / needed))
  return { kind: 'partial', fraction, note: `About ${Math.floor(fraction * 100)}% of layers fit on the GPU; the rest run on the CPU` }
}
