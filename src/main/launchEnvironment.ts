// What the desktop app may be told by its environment at launch: the desktop twin of `sdf serve`'s
// --workspace, --models, --threads, --sequences and --gpu. The end-to-end suite starts the app this
// way (e2e/appUnderTest.ts); a user never has to. Parsed strictly: a variable that is set but wrong
// stops the app with a message naming it, rather than being ignored or silently clamped.
import { resolve } from 'node:path'
import { z } from 'zod'
import type { GpuOption } from '../core/index.js'

/** A folder, relative ones taken from the directory the app was started in (as SDF_WORKSPACE always was). */
const FolderPath = z.string().transform((path) => resolve(path))

const WholeNumber = (name: string, max: number) =>
  z
    .string()
    .regex(/^[1-9][0-9]*$/, `${name} must be a whole number from 1`)
    .transform(Number)
    .refine((value) => value <= max, `${name} must be at most ${max}`)

const GPU_CHOICES = { auto: 'auto', cuda: 'cuda', vulkan: 'vulkan', cpu: false } as const satisfies Record<string, GpuOption>

const LaunchEnvironmentSchema = z.object({
  /** The workspace opened at start. */
  SDF_WORKSPACE: FolderPath.optional(),
  /** The models folder the Models page lists and `models.load` reads from, as if chosen in its dialog. */
  SDF_MODELS_FOLDER: FolderPath.optional(),
  /** CPU threads for llama.cpp; default all cores but one. */
  SDF_THREADS: WholeNumber('SDF_THREADS', 256).optional(),
  /** KV-cache sequences per loaded model (discussions generating at once); default 4. */
  SDF_SEQUENCES: WholeNumber('SDF_SEQUENCES', 256).optional(),
  /** auto (the best working GPU, else the CPU), cuda, vulkan or cpu. */
  SDF_GPU: z.enum(['auto', 'cuda', 'vulkan', 'cpu'], { error: 'SDF_GPU must be auto, cuda, vulkan or cpu' }).optional()
})

export interface LaunchSettings {
  workspace: string | null
  modelsFolder: string | null
  threads: number | null
  sequences: number | null
  gpu: GpuOption | null
}

export class LaunchEnvironmentError extends Error {
  override readonly name = 'LaunchEnvironmentError'
}

/** Reads the launch settings; an empty variable counts as unset (as a shell's `VAR= app` means). */
export function readLaunchEnvironment(env: Record<string, string | undefined>): LaunchSettings {
  const present = Object.fromEntries(
    Object.keys(LaunchEnvironmentSchema.shape).flatMap((name) => {
      const value = env[name]
      return value === undefined || value === '' ? [] : [[name, value]]
    })
  )
  const parsed = LaunchEnvironmentSchema.safeParse(present)
  if (!parsed.success) {
    throw new LaunchEnvironmentError(parsed.error.issues.map((issue) => issue.message).join('; '))
  }
  const { SDF_WORKSPACE, SDF_MODELS_FOLDER, SDF_THREADS, SDF_SEQUENCES, SDF_GPU } = parsed.data
  return {
    workspace: SDF_WORKSPACE ?? null,
    modelsFolder: SDF_MODELS_FOLDER ?? null,
    threads: SDF_THREADS ?? null,
    sequences: SDF_SEQUENCES ?? null,
    gpu: SDF_GPU === undefined ? null : GPU_CHOICES[SDF_GPU]
  }
}
