import type { Command } from 'commander'
import { runAnnotationJob, Workspace, type AnnotatorSpec } from '../../core/index.js'
import { CliError } from '../cliError.js'
import { workspaceOption, workspacePath } from '../workspaceOption.js'
import { addModelOptions, type RunFlags } from './run.js'
import { loadModel } from './runSupport.js'

interface AnnotateFlags extends RunFlags {
  annotator: string[]
  discussion?: string[]
  maxTokens?: number
  seed: number
}

export function registerAnnotate(program: Command): void {
  const command = program
    .command('annotate')
    .description(
      'Annotate a workspace’s discussions with its annotator specs, K discussions at a time. Every annotation is ' +
        'journaled as soon as it exists; running the same command again after a crash or Ctrl+C does only what is missing.'
    )
    .addOption(workspaceOption())
    .requiredOption('--annotator <id...>', 'annotator spec ids (annotators/<id>.json), e.g. example-annotator-toxicity')
    .option('--discussion <id...>', 'only these discussions (default: all)')
    .option('--max-tokens <n>', 'maximum tokens per answer', (value) => Number.parseInt(value, 10))
    .option('--seed <n>', 'base seed of the annotation calls', (value) => Number.parseInt(value, 10), 42)
  addModelOptions(command).action(async (flags: AnnotateFlags) => {
    const root = workspacePath(flags.workspace)
    const workspace = await Workspace.open(root).catch((error: Error) => {
      throw new CliError(`cannot open workspace ${root}: ${error.message}`)
    })
    const specs: AnnotatorSpec[] = []
    for (const id of flags.annotator) {
      const spec = await workspace.annotators.get(id).catch((error: Error) => {
        throw new CliError(`--annotator ${id}: ${error.message}`)
      })
      if (!spec) throw new CliError(`--annotator ${id}: no such annotator spec in ${workspace.resolve('annotators')}`)
      specs.push(spec)
    }
    const model = await loadModel({
      modelPath: flags.model,
      flag: '--model',
      threads: flags.threads,
      gpu: flags.gpu,
      contextSize: flags.contextSize,
      sequences: Math.max(1, flags.concurrency),
      ...(flags.batchSize === undefined ? {} : { batchSize: flags.batchSize })
    })
    try {
      const result = await runAnnotationJob(workspace, specs, model.backend, {
        concurrency: flags.concurrency,
        seed: flags.seed,
        ...(flags.discussion ? { discussionIds: flags.discussion } : {}),
        ...(flags.maxTokens === undefined ? {} : { maxTokens: flags.maxTokens }),
        onProgress: process.stderr.isTTY
          ? ({ discussionsDone, discussions }) => process.stderr.write(`\rAnnotating ${discussionsDone}/${discussions}…`)
          : undefined
      })
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K')
      process.stdout.write(
        `Annotated ${result.discussionsDone} annotator × discussion pairs: ${result.annotationsWritten} new annotations, ` +
          `${result.annotationsSkipped} already there\n`
      )
      for (const failure of result.failed) process.stderr.write(`sdf: error: ${failure.discussionId}: ${failure.message}\n`)
      if (result.failed.length > 0) throw new CliError(`${result.failed.length} discussion(s) could not be annotated`)
    } finally {
      await model.close()
    }
  })
}
