import { resolve } from 'node:path'
import { Option, type Command } from 'commander'
import { exportSdfFiles, Workspace } from '../../core/index.js'
import { CliError } from '../cliError.js'
import { workspaceOption, workspacePath } from '../workspaceOption.js'

interface ExportFlags {
  workspace: string
  format: 'sdf'
  out: string
  discussion?: string[]
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('Export a workspace’s discussions and annotations in a format other tools read')
    .addOption(workspaceOption())
    .addOption(
      new Option('--format <format>', 'sdf: SynDisco 2.0 / SDF v0.2 JSON files the original tooling reads')
        .choices(['sdf'])
        .makeOptionMandatory()
    )
    .requiredOption('--out <dir>', 'folder to write into (created if missing)')
    .option('--discussion <id...>', 'only these discussions (default: all)')
    .addHelpText(
      'after',
      '\nWrites discussions/<id>.json and annotations/<id>.<annotator>.json. SDF Studio’s extra fields sit\n' +
        'under the "sdf_studio" key, which the original tooling ignores, so importing the files again loses nothing.'
    )
    .action(async (flags: ExportFlags) => {
      const root = workspacePath(flags.workspace)
      const workspace = await Workspace.open(root).catch((error: Error) => {
        throw new CliError(`cannot open workspace ${root}: ${error.message}`)
      })
      const out = resolve(flags.out)
      const result = await exportSdfFiles(workspace, out, flags.discussion ? { discussionIds: flags.discussion } : {}).catch(
        (error: Error) => {
          throw new CliError(`export failed: ${error.message}`)
        }
      )
      process.stdout.write(
        `Exported ${result.discussions} discussions and ${result.annotationFiles} annotation files to ${out}\n`
      )
    })
}
