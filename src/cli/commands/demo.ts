import { join, resolve } from 'node:path'
import type { Command } from 'commander'
import { DEMO_MODEL_NOTICE, runDemo, Workspace, type DemoResult } from '../../core/index.js'
import { CliError } from '../cliError.js'
import { workspaceOption, workspacePath } from '../workspaceOption.js'
import { positiveNumber } from './runSupport.js'

interface DemoFlags {
  workspace: string
  models?: string
  threads: number
  concurrency: number
  json?: boolean
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'Run the whole flow in about a minute with no download: a small experiment over the starter library on ' +
        'the demo model (random weights: meaningless text), annotated and charted.'
    )
    .addOption(workspaceOption())
    .option('--models <dir>', 'where the demo model is written (default: <workspace>/models)')
    .option('--threads <n>', 'CPU threads for llama.cpp', positiveNumber, 2)
    .option('--concurrency <n>', 'discussions generating at once', positiveNumber, 2)
    .option('--json', 'print one JSON object with the run, the annotation job and the result files')
    .addHelpText(
      'after',
      '\nWhat it does, in the workspace (created if missing):\n' +
        '  1. installs the starter library (example personas, topics, instructions, annotators; yours are kept)\n' +
        '  2. writes the demo model, models/demo-random-weights-MEANINGLESS-TEXT.gguf (~0.5 MB, random weights)\n' +
        '  3. saves and runs the design "demo-meaningless-text": 2 topics × with/without a moderator, 3 users each\n' +
        '  4. annotates the comments with the starter toxicity annotator\n' +
        '  5. writes toxicity by turn and comment lengths to exports/demo/ (analysis.json, toxicity-by-turn.csv)\n\n' +
        `${DEMO_MODEL_NOTICE}\n` +
        'For real results, load a real model (sdf serve, then the Models page) and run your own design.\n\n' +
        'Example:\n  sdf demo --workspace my-first-study\n'
    )
    .action(async (flags: DemoFlags) => {
      const root = workspacePath(flags.workspace)
      let workspace: Workspace
      try {
        workspace = await Workspace.open(root, { create: true })
      } catch (error) {
        throw new CliError(`cannot open workspace ${root}: ${(error as Error).message}`)
      }
      const modelsFolder = flags.models === undefined ? join(root, 'models') : resolve(flags.models)
      const log = (line: string) => process.stderr.write(`${line}\n`)
      let result: DemoResult
      try {
        result = await runDemo({
          workspace,
          modelsFolder,
          threads: flags.threads,
          concurrency: flags.concurrency,
          onProgress: (progress) => log(`sdf demo: ${progress.message}`)
        })
      } catch (error) {
        throw new CliError(`the demo failed: ${(error as Error).message}`)
      }
      if (flags.json) {
        process.stdout.write(
          `${JSON.stringify({
            workspace: root,
            designId: result.designId,
            runId: result.runId,
            discussions: result.discussionIds,
            finished: result.run.finished.length,
            failed: result.run.failed,
            annotationsWritten: result.annotation.annotationsWritten,
            annotationFailures: result.annotation.failed,
            files: result.analysis.files,
            notice: result.notice
          })}\n`
        )
      } else {
        const row = (label: string, value: string) => `  ${label.padEnd(12)}${value}`
        const lines = [
          `Demo finished in ${root}`,
          row('design', `designs/${result.designId}.json`),
          row('run', `runs/${result.runId}/ (${result.run.finished.length} of ${result.discussionIds.length} discussions finished)`),
          row('discussions', result.discussionIds.map((id) => `discussions/${id}.json`).join(', ')),
          row(
            'annotations',
            `${result.annotation.annotationsWritten} written by the starter toxicity annotator` +
              (result.annotation.failed.length > 0 ? ` (${result.annotation.failed.length} discussions failed)` : '')
          ),
          row('chart data', result.analysis.files.join(', ')),
          `NOTE: ${result.notice}`,
          `See it in the app: sdf serve --workspace ${JSON.stringify(root)}`
        ]
        process.stdout.write(`${lines.join('\n')}\n`)
      }
      if (result.run.failed.length > 0) {
        throw new CliError(`${result.run.failed.length} demo discussion(s) failed: ${result.run.failed.map((entry) => entry.reason).join('; ')}`)
      }
    })
}
