import { Option, type Command } from 'commander'
import { importIntoWorkspace, Workspace, type ImportReport, type TextFileKind } from '../../core/index.js'
import { CliError } from '../cliError.js'
import { workspaceOption, workspacePath } from '../workspaceOption.js'

interface ImportFlags {
  workspace: string
  json?: boolean
  as?: TextFileKind
  strict?: boolean
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description(
      'Import SDF / SynDisco files and folders (recursively) into a workspace: personas, topics, ' +
        'instruction texts, generated discussions, annotations and configs, in every historical format.'
    )
    .argument('<paths...>', 'files or folders to import')
    .addOption(workspaceOption())
    .option('--json', 'print one JSON object with counts and errors instead of a summary')
    .addOption(
      new Option('--as <kind>', 'what text files are when their folder does not say').choices([
        'topic',
        'user-instruction',
        'moderator-instruction',
        'annotator-instruction'
      ])
    )
    .option('--strict', 'exit with status 1 when any file was rejected')
    .addHelpText(
      'after',
      '\nOne bad file never stops the others: it is listed with the reason and nothing of it is written.\n' +
        'Importing the same files again adds nothing new. Annotation files whose discussion is not in the\n' +
        'workspace yet are kept and linked when the discussion is imported.\n\n' +
        'Example:\n  sdf import data/discussions_input data/discussions_output --workspace my-study --json'
    )
    .action(async (paths: string[], flags: ImportFlags) => {
      const root = workspacePath(flags.workspace)
      let workspace: Workspace
      try {
        workspace = await Workspace.open(root, { create: true })
      } catch (error) {
        throw new CliError(`cannot open workspace ${root}: ${(error as Error).message}`)
      }
      const showProgress = !flags.json && process.stderr.isTTY
      const skipped: string[] = []
      const report = await importIntoWorkspace(workspace, paths, {
        onSkip: (path) => skipped.push(path),
        ...(flags.as ? { textKind: flags.as } : {}),
        onProgress: showProgress
          ? ({ done, total }) => process.stderr.write(`\rImporting ${done}/${total} files…`)
          : undefined
      })
      if (showProgress) process.stderr.write('\r\x1b[K')
      process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : describeReport(report, skipped, root))
      if (flags.strict && report.errors.length > 0) {
        throw new CliError(`${report.errors.length} file(s) were not imported (--strict)`)
      }
    })
}

function describeReport(report: ImportReport, skipped: readonly string[], root: string): string {
  const lines = [
    `Imported into ${root}:`,
    `  ${report.personas} personas, ${report.topics} topics, ${report.instructions} instructions`,
    `  ${report.discussions} discussions with ${report.comments} comments, ${report.annotations} annotations`
  ]
  if (skipped.length > 0) lines.push(`  (${skipped.length} documentation file(s) passed over, e.g. ${skipped[0]})`)
  if (report.errors.length > 0) {
    lines.push(`${report.errors.length} file(s) not imported:`)
    for (const error of report.errors) lines.push(`  ${error.file}: ${error.message}`)
  }
  return `${lines.join('\n')}\n`
}
