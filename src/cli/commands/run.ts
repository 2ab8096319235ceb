import { readFile, stat } from 'node:fs/promises'
import type { Command } from 'commander'
import {
  createRun,
  defaultLlamaThreads,
  DesignError,
  describeZodError,
  ExperimentDesignSchema,
  newRunId,
  PlanError,
  plansForDesign,
  Workspace,
  workspaceRunLocation,
  type DiscussionPlan,
  type ExperimentDesign,
  type GpuOption
} from '../../core/index.js'
import { CliError } from '../cliError.js'
import { workspaceOption, workspacePath } from '../workspaceOption.js'
import {
  exitOnInterrupt,
  gpuChoice,
  loadModel,
  positiveNumber,
  ProgressLine,
  reportRunResult,
  sequencesFor,
  showProgress,
  type LoadedModel
} from './runSupport.js'

export interface RunFlags {
  workspace: string
  model: string
  concurrency: number
  threads: number
  gpu: GpuOption
  contextSize: number
  batchSize?: number
}

/** Loads the model with one KV-cache sequence per agent of every discussion running at once. */
export async function loadModelForPlans(plans: readonly DiscussionPlan[], flags: RunFlags): Promise<LoadedModel> {
  const agents = Math.max(1, ...plans.map((plan) => plan.users.length + (plan.moderator ? 1 : 0)))
  return loadModel({
    modelPath: flags.model,
    flag: '--model',
    threads: flags.threads,
    gpu: flags.gpu,
    contextSize: flags.contextSize,
    sequences: sequencesFor(flags.concurrency, agents, flags.contextSize),
    ...(flags.batchSize === undefined ? {} : { batchSize: flags.batchSize })
  })
}

/** The options `run` and `resume` share. */
export function addModelOptions(command: Command): Command {
  return command
    .requiredOption('--model <file>', 'GGUF model file every discussion runs on')
    .option('--concurrency <k>', 'discussions generating at once', positiveNumber, 1)
    .option('--threads <n>', 'CPU threads for llama.cpp; default: all cores but one', positiveNumber, defaultLlamaThreads())
    .option('--gpu <gpu>', 'auto (the best working GPU, else CPU), cuda, vulkan or cpu', gpuChoice, 'auto' as GpuOption)
    .option('--context-size <tokens>', 'context per sequence (prompt + reply)', positiveNumber, 4096)
    .option(
      '--batch-size <tokens>',
      'prompt tokens evaluated per batch (default llama.cpp’s); 1 makes every reply independent of what the cache held ' +
        'before, so a resumed run repeats an uninterrupted one bit for bit, at the cost of speed',
      positiveNumber
    )
}

/** A design file (JSON), or the id of a design in the workspace. */
async function readDesign(workspace: Workspace, reference: string): Promise<ExperimentDesign> {
  const isFile = await stat(reference).then((info) => info.isFile(), () => false)
  if (!isFile) {
    const stored = await workspace.designs.get(reference).catch((error: Error) => {
      throw new CliError(error.message)
    })
    if (!stored) throw new CliError(`${reference} is neither a design file nor a design in the workspace ${workspace.root}`)
    return stored
  }
  let data: unknown
  try {
    data = JSON.parse(await readFile(reference, 'utf8'))
  } catch (error) {
    throw new CliError(`${reference}: not valid JSON: ${(error as Error).message}`)
  }
  const parsed = ExperimentDesignSchema.safeParse(data)
  if (!parsed.success) throw new CliError(`${reference}: not a valid design: ${describeZodError(parsed.error)}`)
  const design = parsed.data
  const stored = await workspace.designs.get(design.id).catch(() => undefined)
  // The workspace keeps the design a run came from; a different one under the same id is left alone.
  if (!stored) await workspace.designs.put(design)
  else if (JSON.stringify(stored) !== JSON.stringify(design)) {
    process.stderr.write(`sdf: warning: the workspace already holds a different design "${design.id}"; running the file's version\n`)
  }
  return design
}

export function registerRun(program: Command): void {
  const command = program
    .command('run')
    .description(
      'Generate every discussion of an experiment design on a local model, K at a time, journaling each step ' +
        'so that `sdf resume` can continue after a crash. Discussions go to the workspace.'
    )
    .argument('<design>', 'design JSON file, or the id of a design in the workspace')
    .addOption(workspaceOption())
    .option('--run-id <id>', 'id for the run folder (default: <design id>-<date>-<time>-<random>)')
  addModelOptions(command)
    .addHelpText('after', '\nExample:\n  sdf run designs/pilot.json --workspace study --model models/llama-3-8b.gguf --concurrency 4')
    .action(async (reference: string, flags: RunFlags & { runId?: string }) => {
      const workspace = await Workspace.open(workspacePath(flags.workspace), { create: true })
      const design = await readDesign(workspace, reference)
      let plans
      try {
        plans = (await plansForDesign(workspace, design)).plans
      } catch (error) {
        if (error instanceof DesignError || error instanceof PlanError) throw new CliError(`design ${design.id}: ${error.message}`)
        throw error
      }
      if (design.factors.models.length > 1) {
        process.stderr.write(`sdf: warning: the design has ${design.factors.models.length} model levels; all of them run on ${flags.model}\n`)
      }
      const runId = flags.runId ?? newRunId(design.id)
      const hint = `sdf resume ${runId} --workspace ${workspace.root} --model ${flags.model}`
      const model = await loadModelForPlans(plans, flags)
      const stopInterrupt = exitOnInterrupt(hint)
      try {
        const run = await createRun({
          location: workspaceRunLocation(workspace, runId),
          plans,
          backend: model.backend,
          concurrency: flags.concurrency,
          provenance: {
            seed: design.seed,
            designId: design.id,
            modelPath: flags.model,
            llama: model.llama,
            parameters: {
              threads: flags.threads,
              gpu: flags.gpu,
              context_size: flags.contextSize,
              batch_size: model.backend.info.batchSize,
              prefix_reuse: model.backend.info.prefixReuse,
              prompt_chunk_size: model.backend.info.promptChunkSize,
              sequences: model.backend.info.sequences
            }
          }
        })
        process.stdout.write(`Run ${runId}: ${plans.length} discussions, ${flags.concurrency} at a time\n`)
        const progress = new ProgressLine(plans.length)
        const detach = showProgress(run, progress)
        const result = await run.start()
        detach()
        progress.done()
        reportRunResult(result, hint)
      } finally {
        stopInterrupt()
        await model.close()
      }
    })
}
