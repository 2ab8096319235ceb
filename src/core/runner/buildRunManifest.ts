import { readFile, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Llama } from 'node-llama-cpp'
import type { DiscussionPlan } from '../discussion/engine/discussionPlan.js'
import type { InferenceBackend } from '../llm/backend.js'
import { LlamaCppBackend } from '../llm/llamacpp/LlamaCppBackend.js'
import { sha256OfModel } from '../models/sha256OfModel.js'
import { RunManifestSchema, type RunManifest } from '../schema/runManifest.js'
import { APP_VERSION } from '../version.js'

/** What a host knows about a run beyond its plans and backend. */
export interface RunProvenance {
  /** The run's own seed (a design's seed, SDF's `--random_seed`). */
  seed: number
  designId?: string | null
  /** The model file; defaults to the llama.cpp backend's. */
  modelPath?: string | null
  /** The Llama the backend runs on, when the host loaded it: GPU and llama.cpp release. */
  llama?: Pick<Llama, 'gpu' | 'llamaCppRelease' | 'getGpuDeviceNames'> | null
  /** Host settings worth recording (CLI flags, thread counts…). */
  parameters?: Record<string, unknown>
}

let nodeLlamaCppVersion: Promise<string | null> | undefined

/** node-llama-cpp's version from its package.json (its exports hide the file from `import`). */
export function readNodeLlamaCppVersion(): Promise<string | null> {
  nodeLlamaCppVersion ??= (async () => {
    try {
      const entry = createRequire(import.meta.url).resolve('node-llama-cpp')
      const text = await readFile(join(dirname(entry), '..', 'package.json'), 'utf8')
      const version = (JSON.parse(text) as { version?: unknown }).version
      return typeof version === 'string' ? version : null
    } catch {
      return null
    }
  })()
  return nodeLlamaCppVersion
}

function modelPathOf(backend: InferenceBackend, provenance: RunProvenance): string | null {
  if (provenance.modelPath !== undefined && provenance.modelPath !== null) return provenance.modelPath
  return backend instanceof LlamaCppBackend ? backend.info.modelPath : null
}

/** The GPU in words: `cuda (NVIDIA H100 80GB HBM3)`, `cpu`, or null when unknown (a remote server). */
export async function describeRunGpu(backend: InferenceBackend, llama: RunProvenance['llama']): Promise<string | null> {
  if (llama) {
    if (llama.gpu === false) return 'cpu'
    const devices = await llama.getGpuDeviceNames().catch(() => [] as string[])
    return devices.length > 0 ? `${llama.gpu} (${devices.join(', ')})` : llama.gpu
  }
  if (backend instanceof LlamaCppBackend) return backend.info.gpu === false ? 'cpu' : backend.info.gpu
  return null
}

/** The settings of every discussion that decide its text (the full plans are in plans.json). */
function planSummary(plan: DiscussionPlan): Record<string, unknown> {
  return {
    id: plan.id,
    seed: plan.seed,
    call_seeds: plan.call_seeds,
    model: plan.model,
    sampling: plan.sampling,
    max_tokens: plan.max_tokens,
    conv_len: plan.conv_len,
    history_ctx_len: plan.history_ctx_len,
    turn_policy: plan.turn_policy,
    moderator_policy: plan.moderator_policy,
    prompt_mode: plan.prompt_mode,
    cleaning: plan.cleaning
  }
}

export interface ManifestInput {
  runId: string
  plans: readonly DiscussionPlan[]
  backend: InferenceBackend
  provenance: RunProvenance
  concurrency: number
  reuseAgentPrefixes: boolean
  createdAt: Date
}

/**
 * The run's provenance manifest. The model's SHA-256 is left null here: hashing a large model takes
 * a while, so the runner fills it in (`withModelHash`) while the discussions already generate.
 */
export async function buildRunManifest(input: ManifestInput): Promise<RunManifest> {
  const { backend, provenance } = input
  const path = modelPathOf(backend, provenance)
  const size = path ? await stat(path).then((info) => info.size, () => null) : null
  const info = backend instanceof LlamaCppBackend ? backend.info : null
  return RunManifestSchema.parse({
    run_id: input.runId,
    created_at: input.createdAt.toISOString(),
    app_version: APP_VERSION,
    node_llama_cpp_version: await readNodeLlamaCppVersion(),
    llama_cpp_version: provenance.llama?.llamaCppRelease.release ?? null,
    model: { path: path ?? backend.modelName, name: backend.modelName, sha256: null, size_bytes: size },
    gpu: await describeRunGpu(backend, provenance.llama),
    design_id: provenance.designId ?? null,
    seed: provenance.seed,
    parameters: {
      ...provenance.parameters,
      concurrency: input.concurrency,
      reuse_agent_prefixes: input.reuseAgentPrefixes,
      backend: { kind: backend.kind, model_name: backend.modelName, ...(info ? { llama_cpp: info } : {}) },
      backend_warnings: (backend.warnings ?? []).map((warning) => warning.message),
      discussions: input.plans.map(planSummary)
    },
    discussion_ids: input.plans.map((plan) => plan.id)
  })
}

/** The manifest with its model's SHA-256 (cached next to the model), or as it was when there is no file. */
export async function withModelHash(manifest: RunManifest): Promise<RunManifest> {
  if (!manifest.model || manifest.model.size_bytes === null) return manifest
  const sha256 = await sha256OfModel(manifest.model.path)
  return { ...manifest, model: { ...manifest.model, sha256 } }
}
