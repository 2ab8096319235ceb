import { mkdir, stat } from 'node:fs/promises'
import type { DiscussionPlan } from '../discussion/engine/discussionPlan.js'
import type { InferenceBackend } from '../llm/backend.js'
import type { RunManifest } from '../schema/runManifest.js'
import { writeJsonAtomically } from '../workspace/atomicFile.js'
import { buildRunManifest, withModelHash, type RunProvenance } from './buildRunManifest.js'
import { DiscussionRun, type BackendProvider } from './discussionRun.js'
import { JournalWriter } from './runJournal.js'
import { runFilePath, type RunLocation } from './runLocation.js'
import { writeRunPlans } from './runPlansFile.js'

export interface RunSettings {
  /** Discussions generating at once (give the backend at least as many sequences). Default 1. */
  concurrency?: number
  /** Default true: agents keep their evaluated prompt prefix between turns. */
  reuseAgentPrefixes?: boolean
  now?: () => Date
}

export interface CreateRunOptions extends RunSettings {
  location: RunLocation
  plans: readonly DiscussionPlan[]
  backend: InferenceBackend
  /** A backend per plan (several models); default `backend` for all. */
  backendFor?: BackendProvider
  provenance: RunProvenance
}

/**
 * Creates a run folder (plans, provenance manifest, journal) and returns the run, not yet started.
 * Refuses a folder that already holds a run: resume that one instead.
 */
export async function createRun(options: CreateRunOptions): Promise<DiscussionRun> {
  const { location, plans, backend } = options
  const concurrency = options.concurrency ?? 1
  const reuseAgentPrefixes = options.reuseAgentPrefixes ?? true
  const now = options.now ?? (() => new Date())
  const plansPath = runFilePath(location, 'plans')
  if (await stat(plansPath).then(() => true, () => false)) {
    throw new Error(`run ${location.runId} already exists in ${location.directory}; resume it or choose another run id`)
  }
  await mkdir(location.directory, { recursive: true })
  await writeRunPlans(plansPath, location.runId, plans)
  const manifestPath = runFilePath(location, 'manifest')
  const manifest = await buildRunManifest({
    runId: location.runId,
    plans,
    backend,
    provenance: options.provenance,
    concurrency,
    reuseAgentPrefixes,
    createdAt: now()
  })
  await writeJsonAtomically(manifestPath, manifest)
  const journal = new JournalWriter(runFilePath(location, 'journal'))
  await journal.append({
    type: 'run-started',
    run_id: location.runId,
    at: now().toISOString(),
    resumed: false,
    discussion_ids: plans.map((plan) => plan.id)
  })
  return new DiscussionRun({
    location,
    journal,
    plans,
    backend: options.backendFor ?? backend,
    concurrency,
    reuseAgentPrefixes,
    now,
    background: completeManifest(manifestPath, manifest)
  })
}

/** Adds the model hash to the manifest while the run goes on; a hash that fails leaves it null. */
export async function completeManifest(path: string, manifest: RunManifest): Promise<void> {
  try {
    const hashed = await withModelHash(manifest)
    if (hashed !== manifest) await writeJsonAtomically(path, hashed)
  } catch {
    // The model went away or cannot be read: the manifest keeps sha256 null rather than failing the run.
  }
}
