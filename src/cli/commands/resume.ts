import type { Command } from 'commander'
import { readRunPlans, resumeRun, runFilePath, RunNotFoundError, workspaceRunLocation, Workspace, type RunDiscussionStatus } from '../../core/index.js'
import { CliError } from '../cliError.js'
import { workspaceOption, workspacePath } from '../workspaceOption.js'
import { addModelOptions, loadModelForPlans, type RunFlags } from './run.js'
import { exitOnInterrupt, ProgressLine, reportRunResult, showProgress } from './runSupport.js'

function unfinished(status: readonly RunDiscussionStatus[]): number {
  return status.filter((entry) => entry.state !== 'finished' && entry.state !== 'cancelled').length
}

export function registerResume(program: Command): void {
  const command = program
    .command('resume')
    .description(
      'Continue a run after a crash, a kill or Ctrl+C: finished discussions are kept, the others replay their ' +
        'journaled steps without calling the model and go on from the last completed step.'
    )
    .argument('<run-id>', 'the run to continue (a folder under the workspace’s runs/)')
    .addOption(workspaceOption())
    .option('--include-cancelled', 'also continue discussions that were cancelled')
  addModelOptions(command)
    .addHelpText('after', '\nExample:\n  sdf resume pilot-20250101-120000-ab12 --workspace study --model models/llama-3-8b.gguf')
    .action(async (runId: string, flags: RunFlags & { includeCancelled?: boolean }) => {
      const workspace = await Workspace.open(workspacePath(flags.workspace))
      const hint = `sdf resume ${runId} --workspace ${workspace.root} --model ${flags.model}`
      // Read first: a wrong run id is reported before the model loads.
      let plans
      try {
        plans = await readRunPlans(runFilePath(workspaceRunLocation(workspace, runId), 'plans'))
      } catch (error) {
        if (error instanceof RunNotFoundError) throw new CliError(`${error.message}; runs are listed in ${workspace.resolve('runs')}`)
        throw error
      }
      const model = await loadModelForPlans(plans, flags)
      const stopInterrupt = exitOnInterrupt(hint)
      try {
        const run = await resumeRun(workspace, runId, model.backend, {
          concurrency: flags.concurrency,
          includeCancelled: flags.includeCancelled === true,
          provenance: { modelPath: flags.model, llama: model.llama, parameters: { threads: flags.threads, gpu: flags.gpu, batch_size: model.backend.info.batchSize, prefix_reuse: model.backend.info.prefixReuse, prompt_chunk_size: model.backend.info.promptChunkSize } }
        })
        for (const warning of run.warnings) process.stderr.write(`sdf: warning: ${warning}\n`)
        const status = run.status()
        process.stdout.write(`Run ${runId}: ${status.length - unfinished(status)} of ${status.length} discussions already done, continuing the rest\n`)
        const progress = new ProgressLine(status.length, status.length - unfinished(status))
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
