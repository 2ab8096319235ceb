import { readFile, stat } from 'node:fs/promises'
import type { DiscussionPlan } from '../discussion/engine/discussionPlan.js'
import type { EngineStep } from '../discussion/engine/engineStep.js'
import type { InferenceBackend } from '../llm/backend.js'
import { RunManifestSchema, type RunManifest } from '../schema/runManifest.js'
import { APP_VERSION } from '../version.js'
import { writeJsonAtomically } from '../workspace/atomicFile.js'
import type { Workspace } from '../workspace/workspace.js'
import { describeRunGpu, readNodeLlamaCppVersion, type RunProvenance } from './buildRunManifest.js'
import { completeManifest, type RunSettings } from './createRun.js'
import { DiscussionRun, type BackendProvider } from './discussionRun.js'
import { JournalWriter, readRunJournal } from './runJournal.js'
import { runFilePath, workspaceRunLocation, type RunLocation } from './runLocation.js'
import { readRunPlans, writeRunPlans } from './runPlansFile.js'

export interface ResumeRunOptions extends RunSettings {
  backendFor?: BackendProvider
  /** What the resuming host knows (its Llama, model path); recorded in the manifest's `resumes`. */
  provenance?: Omit<RunProvenance, 'seed' | 'designId'>
  /** Also continue discussions that were cancelled (default: they stay cancelled). */
  includeCancelled?: boolean
  /** Discussions to add to the run (the CLI's --resume with new input files). */
  addPlans?: readonly DiscussionPlan[]
  /** Discussions of the run to leave out of this session (they stay in the run for a later one). */
  exclude?: ReadonlySet<string>
}

/** Resumes a workspace run (`runs/<run_id>/`); see `openRun`. */
export function resumeRun(workspace: Workspace, runId: string, backend: InferenceBackend, options: ResumeRunOptions = {}): Promise<DiscussionRun> {
  return openRun(workspaceRunLocation(workspace, runId), backend, options)
}

/**
 * Reopens a run after a crash, a `kill -9` or a cancel: reads its plans and journal (a torn last
 * line is ignored), skips the discussions that finished (and whose file still exists), and gives
 * every other one its journaled steps to replay, so it continues from its last completed step with
 * identical state. Failed discussions are tried again. Returns the run, not yet started.
 */
export async function openRun(location: RunLocation, backend: InferenceBackend, options: ResumeRunOptions = {}): Promise<DiscussionRun> {
  const now = options.now ?? (() => new Date())
  const concurrency = options.concurrency ?? 1
  const plansPath = runFilePath(location, 'plans')
  let plans = await readRunPlans(plansPath)
  if (options.addPlans && options.addPlans.length > 0) {
    const known = new Set(plans.map((plan) => plan.id))
    const added = options.addPlans.filter((plan) => !known.has(plan.id))
    if (added.length > 0) {
      plans = [...plans, ...added]
      await writeRunPlans(plansPath, location.runId, plans)
    }
  }
  const journalPath = runFilePath(location, 'journal')
  const contents = await readRunJournal(journalPath)
  if (options.exclude) plans = plans.filter((plan) => !options.exclude?.has(plan.id))
  const replay = new Map<string, EngineStep[]>()
  const ended = new Map<string, { state: 'finished' | 'cancelled'; file: string | null }>()
  for (const plan of plans) {
    const journaled = contents.discussions.get(plan.id)
    if (!journaled) continue
    if (journaled.state === 'finished' && journaled.file && (await exists(journaled.file))) {
      ended.set(plan.id, { state: 'finished', file: journaled.file })
      continue
    }
    if (journaled.state === 'cancelled' && !options.includeCancelled) {
      ended.set(plan.id, { state: 'cancelled', file: null })
      continue
    }
    replay.set(plan.id, journaled.steps)
  }

  const manifestPath = runFilePath(location, 'manifest')
  const manifest = await recordResume(manifestPath, backend, options, concurrency, now())
  const journal = new JournalWriter(journalPath)
  await journal.append({
    type: 'run-started',
    run_id: location.runId,
    at: now().toISOString(),
    resumed: true,
    discussion_ids: plans.filter((plan) => !ended.has(plan.id)).map((plan) => plan.id)
  })
  return new DiscussionRun({
    location,
    journal,
    plans,
    backend: options.backendFor ?? backend,
    concurrency,
    ...(options.reuseAgentPrefixes === undefined ? {} : { reuseAgentPrefixes: options.reuseAgentPrefixes }),
    now,
    replay,
    ended,
    warnings: contents.problems.map((problem) => `${journalPath}:${problem.line}: ${problem.message}`),
    ...(manifest ? { background: completeManifest(manifestPath, manifest) } : {})
  })
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false
  )
}

/** Notes the resume in the manifest (`parameters.resumes`), so a run continued on other software says so. */
async function recordResume(
  path: string,
  backend: InferenceBackend,
  options: ResumeRunOptions,
  concurrency: number,
  at: Date
): Promise<RunManifest | null> {
  let manifest: RunManifest
  try {
    manifest = RunManifestSchema.parse(JSON.parse(await readFile(path, 'utf8')))
  } catch {
    return null
  }
  const llama = options.provenance?.llama ?? null
  const resume = {
    at: at.toISOString(),
    app_version: APP_VERSION,
    node_llama_cpp_version: await readNodeLlamaCppVersion(),
    llama_cpp_version: llama?.llamaCppRelease.release ?? null,
    gpu: await describeRunGpu(backend, llama),
    model_name: backend.modelName,
    concurrency,
    ...options.provenance?.parameters
  }
  const previous = Array.isArray(manifest.parameters.resumes) ? manifest.parameters.resumes : []
  const updated: RunManifest = { ...manifest, parameters: { ...manifest.parameters, resumes: [...previous, resume] } }
  await writeJsonAtomically(path, updated)
  return updated
}
