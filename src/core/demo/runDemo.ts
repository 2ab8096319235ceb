import { mkdir } from 'node:fs/promises'
import { join, relative } from 'node:path'
import type { Llama } from 'node-llama-cpp'
import { commentLengths, type CommentLengthResult } from '../analysis/commentLengths.js'
import { loadAnalysisDataset } from '../analysis/dataset/loadAnalysisDataset.js'
import { labelByTurn, type LabelByTurnResult } from '../analysis/labelByTurn.js'
import { runAnnotationJob, type AnnotationJobResult } from '../annotation/runAnnotationJob.js'
import { ExperimentDesignSchema, type ExperimentDesign } from '../design/experimentDesign.js'
import { csvField } from '../export/csvField.js'
import type { InferenceBackend } from '../llm/backend.js'
import { createLlamaCppBackend } from '../llm/llamacpp/LlamaCppBackend.js'
import { loadLlama } from '../llm/llamacpp/loadLlama.js'
import { createRun } from '../runner/createRun.js'
import type { DiscussionRun, RunResult } from '../runner/discussionRun.js'
import { newRunId } from '../runner/newRunId.js'
import { plansForDesign } from '../runner/plansForDesign.js'
import { workspaceRunLocation } from '../runner/runLocation.js'
import { installStarterLibrary } from '../starter/installStarterLibrary.js'
import { STARTER_ANNOTATORS } from '../starter/starterAnnotators.js'
import { AnnotatorSpecSchema, type AnnotatorSpec } from '../schema/annotatorSpec.js'
import { writeFileAtomically, writeJsonAtomically } from '../workspace/atomicFile.js'
import type { Workspace } from '../workspace/workspace.js'
import { DEMO_ANNOTATOR_ID, DEMO_CONDITION, DEMO_LABEL, demoDesign } from './demoDesign.js'
import { DEMO_MODEL_NOTICE, ensureDemoModel } from './demoModel.js'

/** Where the demo writes its chart-ready results, relative to the workspace. */
export const DEMO_RESULTS_FOLDER = join('exports', 'demo')

/** One line of progress, for a terminal or a status field. */
export interface DemoProgress {
  stage: 'prepare' | 'model' | 'run' | 'annotate' | 'analyse' | 'done'
  message: string
}

export interface PreparedDemo {
  design: ExperimentDesign
  modelPath: string
  modelFileName: string
  /** The demo model was written just now. */
  modelCreated: boolean
}

/** The demo's analysis: the label over turns by condition and comment lengths, ready to chart. */
export interface DemoAnalysis {
  label: string
  condition: string
  discussions: number
  annotatedComments: number
  byTurn: LabelByTurnResult
  lengths: CommentLengthResult
  /** The files written, relative to the workspace. */
  files: string[]
}

export interface DemoResult {
  designId: string
  runId: string
  discussionIds: string[]
  run: Pick<RunResult, 'finished' | 'failed' | 'cancelled'>
  annotation: AnnotationJobResult
  analysis: DemoAnalysis
  modelPath: string
  notice: string
}

/**
 * Gets a workspace ready for the demo: the starter library (examples already there are left as
 * they are), the demo model in `modelsFolder` (written if missing), and the demo design saved.
 */
export async function prepareDemo(workspace: Workspace, modelsFolder: string): Promise<PreparedDemo> {
  await installStarterLibrary(workspace)
  const model = await ensureDemoModel(modelsFolder)
  const design = ExperimentDesignSchema.parse(demoDesign(model.fileName))
  await workspace.designs.put(design)
  return { design, modelPath: model.path, modelFileName: model.fileName, modelCreated: model.created }
}

/** The annotator spec the demo uses: the workspace's copy of the starter example, else the original. */
export async function demoAnnotator(workspace: Workspace): Promise<AnnotatorSpec> {
  const stored = await workspace.annotators.get(DEMO_ANNOTATOR_ID)
  if (stored !== undefined) return stored
  const original = STARTER_ANNOTATORS.find((spec) => spec.id === DEMO_ANNOTATOR_ID)
  return AnnotatorSpecSchema.parse(original)
}

/** Creates the demo's run (not yet started) on `backend`. */
export async function createDemoRun(
  workspace: Workspace,
  design: ExperimentDesign,
  backend: InferenceBackend,
  concurrency: number
): Promise<DiscussionRun> {
  const { plans } = await plansForDesign(workspace, design)
  const runId = newRunId(design.id)
  return createRun({
    location: workspaceRunLocation(workspace, runId),
    plans,
    backend,
    concurrency,
    provenance: { seed: design.seed, designId: design.id, parameters: { concurrency, demo: true } }
  })
}

/** Labels the demo's discussions with the starter toxicity annotator. */
export function annotateDemo(
  workspace: Workspace,
  backend: InferenceBackend,
  discussionIds: readonly string[],
  options: { concurrency?: number; onProgress?: (done: number, total: number) => void } = {}
): Promise<AnnotationJobResult> {
  return demoAnnotator(workspace).then((spec) =>
    runAnnotationJob(workspace, [spec], backend, {
      discussionIds,
      concurrency: options.concurrency ?? 2,
      seed: 1,
      ...(options.onProgress ? { onProgress: (progress) => options.onProgress?.(progress.discussionsDone, progress.discussions) } : {})
    })
  )
}

/**
 * The demo's chart: toxicity over turns with and without a moderator, and comment lengths, from
 * the demo's discussions. Written to `exports/demo/` as JSON and as CSV (one row per point).
 */
export async function analyseDemo(workspace: Workspace, discussionIds: readonly string[]): Promise<DemoAnalysis> {
  const dataset = await loadAnalysisDataset(workspace, { discussionIds })
  const groupBy = { by: 'condition' as const, key: DEMO_CONDITION }
  const byTurn = labelByTurn(dataset, { label: DEMO_LABEL, x: 'user_turn', groupBy })
  const lengths = commentLengths(dataset, { groupBy })
  const annotatedComments = dataset.discussions.reduce(
    (sum, discussion) => sum + discussion.comments.filter((comment) => comment.ratings.length > 0).length,
    0
  )
  const folder = workspace.resolve(DEMO_RESULTS_FOLDER)
  await mkdir(folder, { recursive: true })
  const jsonPath = join(folder, 'analysis.json')
  const csvPath = join(folder, `${DEMO_LABEL}-by-turn.csv`)
  const header = ['group', 'user_turn', 'mean', 'sd', 'ci_low', 'ci_high', 'n']
  const lines = byTurn.rows.map((row) => [row.group, row.x, row.mean, row.sd, row.ci_low, row.ci_high, row.n].map((value) => csvField(value)).join(','))
  await writeFileAtomically(csvPath, `${[header.join(','), ...lines].join('\n')}\n`)
  const files = [jsonPath, csvPath].map((path) => relative(workspace.root, path).split('\\').join('/'))
  const analysis: DemoAnalysis = {
    label: DEMO_LABEL,
    condition: DEMO_CONDITION,
    discussions: dataset.discussions.length,
    annotatedComments,
    byTurn,
    lengths,
    files
  }
  await writeJsonAtomically(jsonPath, { notice: DEMO_MODEL_NOTICE, ...analysis })
  return analysis
}

export interface RunDemoOptions {
  workspace: Workspace
  /** Where the demo model is (or is written). */
  modelsFolder: string
  /** CPU threads for llama.cpp. Default 2. */
  threads?: number
  /** Discussions generating at once. Default 2. */
  concurrency?: number
  /** The Llama to load the demo model with (tests share a single-threaded one); the demo loads one otherwise. */
  llama?: () => Promise<Llama>
  onProgress?: (progress: DemoProgress) => void
  /** Told the run once it exists, to watch or pause it. */
  onRun?: (run: DiscussionRun) => void
}

/**
 * The demo, start to end: prepares the workspace, loads the demo model on the CPU, runs the demo
 * design, annotates it and writes the chart-ready analysis. What `sdf demo` does.
 */
export async function runDemo(options: RunDemoOptions): Promise<DemoResult> {
  const { workspace } = options
  const say = (stage: DemoProgress['stage'], message: string) => options.onProgress?.({ stage, message })
  const threads = options.threads ?? 2
  const concurrency = options.concurrency ?? 2

  say('prepare', 'Installing the starter library, the demo model and the demo design…')
  const prepared = await prepareDemo(workspace, options.modelsFolder)
  say('model', `${prepared.modelCreated ? 'Wrote' : 'Using'} the demo model ${prepared.modelPath}. ${DEMO_MODEL_NOTICE}`)

  // The demo model is tiny: the CPU is quicker than probing for a GPU.
  let ownedLlama: Llama | null = null
  const llama = options.llama ? await options.llama() : (ownedLlama = (await loadLlama({ gpu: false, threads })).llama)
  const backend = await createLlamaCppBackend({
    modelPath: prepared.modelPath,
    llama,
    threads,
    contextSize: 1024,
    sequences: concurrency * 3
  })
  try {
    const run = await createDemoRun(workspace, prepared.design, backend, concurrency)
    options.onRun?.(run)
    const discussionIds = run.status().map((entry) => entry.id)
    say('run', `Running ${discussionIds.length} discussions (run ${run.runId})…`)
    const result = await run.start()
    const finished = result.finished.map((entry) => entry.id)
    say('annotate', `Annotating ${finished.length} discussions with the starter toxicity annotator…`)
    const annotation = await annotateDemo(workspace, backend, finished, {
      concurrency,
      onProgress: (done, total) => say('annotate', `Annotated ${done} of ${total} discussions`)
    })
    say('analyse', 'Computing the analysis…')
    const analysis = await analyseDemo(workspace, finished)
    say('done', `Done: results in ${analysis.files.join(' and ')}`)
    return {
      designId: prepared.design.id,
      runId: run.runId,
      discussionIds,
      run: { finished: result.finished, failed: result.failed, cancelled: result.cancelled },
      annotation,
      analysis,
      modelPath: prepared.modelPath,
      notice: DEMO_MODEL_NOTICE
    }
  } finally {
    await backend.dispose()
    await ownedLlama?.dispose()
  }
}
