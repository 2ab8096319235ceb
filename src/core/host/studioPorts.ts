import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ZodError } from 'zod'
import { agreementCoefficient, isAgreementMetric } from '../analysis/agreement/agreementMetric.js'
import { AgreementError } from '../analysis/agreement/agreementError.js'
import { isMeasurementLevel } from '../analysis/agreement/measurementLevel.js'
import { reliabilityDataFromAnnotations } from '../analysis/agreement/reliabilityDataFromAnnotations.js'
import { loadDesignCorpora } from '../corpus/loadDesignCorpora.js'
import { countDesign } from '../design/countDesign.js'
import { DesignError } from '../design/designError.js'
import { estimateDesign } from '../design/estimateDesign.js'
import { expandDesign } from '../design/expandDesign.js'
import { PlanError } from '../discussion/engine/planError.js'
import type { InferenceBackend } from '../llm/backend.js'
import { describeHardware, type HardwareInfo } from '../models/describeHardware.js'
import { listModels, type ModelListing } from '../models/listModels.js'
import { nodeLlamaCpp } from '../models/nodeLlamaCpp.js'
import { createRun } from '../runner/createRun.js'
import type { DiscussionRun } from '../runner/discussionRun.js'
import { newRunId } from '../runner/newRunId.js'
import { loadPlanLibrary, plansForDesign } from '../runner/plansForDesign.js'
import { readRunJournal } from '../runner/runJournal.js'
import { runFilePath, workspaceRunLocation } from '../runner/runLocation.js'
import type { Annotation } from '../schema/annotation.js'
import { RunManifestSchema } from '../schema/runManifest.js'
import { writeJsonAtomically } from '../workspace/atomicFile.js'
import { RUNS_FOLDER } from '../workspace/layout.js'
import type { Workspace } from '../workspace/workspace.js'

/** The app's settings file, beside (never inside) `settings/`, which holds imported SDF settings. */
export const APP_SETTINGS_FILE = 'sdf-settings.json'

/** A record or run a call named does not exist. */
export class HostNotFoundError extends Error {
  override readonly name = 'HostNotFoundError'
}

export interface StudioPortsOptions {
  /** The workspace the host has open, or null. */
  workspace(): Workspace | null
  /** The model runs generate on, or null when the host has none loaded. */
  backend(): InferenceBackend | null
  /** Loads llama.cpp for `hardware`; node-llama-cpp's `getLlama()` on first use unless given. */
  llama?: () => Promise<Parameters<typeof describeHardware>[0]>
  now?: () => Date
}

export interface RunListing {
  id: string
  manifest: Record<string, unknown> | null
  counts: { total: number; finished: number; failed: number; cancelled: number; pending: number }
  problems: string[]
}

/**
 * Core's engines as the ports of shared's `createStudioMethods` (which core may not import: the
 * types meet structurally). Both hosts build these the same way; only what they hold differs.
 */
export function createStudioPorts(options: StudioPortsOptions) {
  let llama: ReturnType<NonNullable<StudioPortsOptions['llama']>> | undefined

  function workspace(): Workspace {
    const current = options.workspace()
    if (current === null) throw new Error('no workspace is open')
    return current
  }

  async function allAnnotations(current: Workspace): Promise<Annotation[]> {
    // Ids only: parsing every discussion to learn its id is what made this slow on big workspaces.
    const ids = await current.discussions.ids()
    const listings = await Promise.all(ids.map((id) => current.annotations.list(id)))
    return listings.flatMap((listing) => listing.annotations)
  }

  return {
    hasWorkspace: () => options.workspace() !== null,

    describeError(error: unknown): { code: 'invalid-input' | 'not-found'; message: string } | null {
      if (error instanceof HostNotFoundError) return { code: 'not-found', message: error.message }
      if (error instanceof DesignError || error instanceof PlanError || error instanceof AgreementError) {
        return { code: 'invalid-input', message: error.message }
      }
      if (error instanceof ZodError) return { code: 'invalid-input', message: error.issues[0]?.message ?? error.message }
      return null
    },

    async previewDesign(design: object, rates: { tokensPerSecond: number; promptTokensPerSecond: number }, limit: number) {
      const current = workspace()
      const library = await loadPlanLibrary(current)
      const corpora = await loadDesignCorpora(current, design as { factors: { seed_source?: { corpus_id: string } } })
      const expansion = expandDesign(design as Parameters<typeof expandDesign>[0], { ...library, corpora })
      const counts = countDesign(expansion.design)
      return {
        counts: { ...counts, levels: { ...counts.levels } },
        estimate: estimateDesign(expansion.design, rates),
        specs: expansion.discussions.slice(0, limit) as unknown as Record<string, unknown>[]
      }
    },

    async annotations(discussionId: string) {
      const current = workspace()
      if (!(await current.discussions.has(discussionId))) {
        throw new HostNotFoundError(`There is no discussion "${discussionId}" in this workspace.`)
      }
      const listing = await current.annotations.list(discussionId)
      return {
        items: listing.annotations as unknown as Record<string, unknown>[],
        problems: listing.problems.map((problem) => ({ file: problem.file, message: `line ${problem.line}: ${problem.message}` }))
      }
    },

    async agreement(label: string, metric: string, level: string) {
      if (!isAgreementMetric(metric) || !isMeasurementLevel(level)) {
        throw new AgreementError(`unknown metric "${metric}" or level "${level}"`)
      }
      // Journals are in the order written: a coder's corrected label (a later save) wins, as in agreement.matrix.
      const data = reliabilityDataFromAnnotations(await allAnnotations(workspace()), label, { duplicates: 'last' })
      const value = data.units.length === 0 ? Number.NaN : agreementCoefficient(metric, level)(data)
      return { value, units: data.units.length, annotators: [...data.annotators] }
    },

    async listModels(folder: string) {
      let listings: ModelListing[]
      try {
        listings = await listModels(folder)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
        throw error
      }
      return listings.map((listing) => ({
        path: listing.path,
        fileName: listing.fileName,
        sizeBytes: listing.sizeBytes,
        modifiedMs: listing.modifiedMs,
        metadata: listing.metadata as Record<string, unknown> | null,
        error: listing.error === null ? null : { code: listing.error.code, message: listing.error.message }
      }))
    },

    async hardware(): Promise<Omit<HardwareInfo, 'gpu'> & { gpu: string | false; gpuDevices: string[] }> {
      llama ??= options.llama ? options.llama() : nodeLlamaCpp().then(({ getLlama }) => getLlama())
      const info = await describeHardware(await llama)
      return { ...info, gpuDevices: [...info.gpuDevices] }
    },

    async listRuns(): Promise<RunListing[]> {
      const folder = workspace().resolve(RUNS_FOLDER)
      const entries = await readdir(folder, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return []
        throw error
      })
      const runs: RunListing[] = []
      for (const entry of entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name))) {
        const directory = join(folder, entry.name)
        const problems: string[] = []
        let manifest: Record<string, unknown> | null = null
        try {
          const parsed = RunManifestSchema.safeParse(JSON.parse(await readFile(runFilePath({ directory }, 'manifest'), 'utf8')))
          if (parsed.success) manifest = parsed.data as unknown as Record<string, unknown>
          else problems.push(`manifest.json: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
        } catch (error) {
          problems.push(`manifest.json: ${(error as Error).message}`)
        }
        const counts = { total: 0, finished: 0, failed: 0, cancelled: 0, pending: 0 }
        try {
          const journal = await readRunJournal(runFilePath({ directory }, 'journal'))
          for (const discussion of journal.discussions.values()) {
            counts.total += 1
            if (discussion.state === 'in-progress') counts.pending += 1
            else counts[discussion.state] += 1
          }
          for (const problem of journal.problems) problems.push(`journal.jsonl line ${problem.line}: ${problem.message}`)
        } catch (error) {
          problems.push(`journal.jsonl: ${(error as Error).message}`)
        }
        runs.push({ id: entry.name, manifest, counts, problems })
      }
      return runs
    },

    hasBackend: () => options.backend() !== null,

    async createRun(designId: string, concurrency: number): Promise<DiscussionRun> {
      const current = workspace()
      const backend = options.backend()
      if (backend === null) throw new Error('no model is loaded')
      const design = await current.designs.get(designId)
      if (design === undefined) throw new HostNotFoundError(`There is no design "${designId}" in this workspace.`)
      const { plans } = await plansForDesign(current, design)
      const runId = newRunId(design.id)
      return createRun({
        location: workspaceRunLocation(current, runId),
        plans,
        backend,
        concurrency,
        provenance: { seed: design.seed, designId: design.id, parameters: { concurrency } },
        ...(options.now ? { now: options.now } : {})
      })
    },

    async readSettings(): Promise<unknown> {
      try {
        return JSON.parse(await readFile(workspace().resolve(APP_SETTINGS_FILE), 'utf8')) as unknown
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return undefined
        throw error
      }
    },

    async writeSettings(settings: object): Promise<void> {
      await writeJsonAtomically(workspace().resolve(APP_SETTINGS_FILE), settings)
    }
  }
}
