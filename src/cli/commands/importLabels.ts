import { readFile } from 'node:fs/promises'
import type { Command } from 'commander'
import { HumanLabelImportError, importHumanLabels, Workspace, type HumanLabelImportReport } from '../../core/index.js'
import { CliError } from '../cliError.js'
import { workspaceOption, workspacePath } from '../workspaceOption.js'

interface ImportLabelsFlags {
  workspace: string
  annotatorSpec?: string
  json?: boolean
  strict?: boolean
}

export function registerImportLabels(program: Command): void {
  program
    .command('import-labels')
    .description(
      'Import human labels from a CSV (one row per annotator × comment) as human annotations, beside the ' +
        'LLM labels of the same comments, for agreement statistics and analyses.'
    )
    .argument('<file>', 'CSV file with a header row')
    .addOption(workspaceOption())
    .option('--annotator-spec <id>', 'check every value against this annotator spec\'s labels (range, options, type)')
    .option('--json', 'print the import report as one JSON object')
    .option('--strict', 'exit with status 1 when any row was rejected')
    .addHelpText(
      'after',
      '\nColumns:\n' +
        '  annotator                    the name or code of the person who labelled the row (required)\n' +
        '  discussion_id, comment_index which comment (index from 0, as in the comments table), or\n' +
        '  comment_id                   <discussion_id>:<comment_index>, as `sdf export` writes it\n' +
        '  created_at                   optional, kept as written\n' +
        '  every other column           one label each (e.g. toxicity, argument_quality); an empty cell\n' +
        '                               means the label was not given\n\n' +
        'Without --annotator-spec, numbers are read as numbers and true/false as booleans, other values\n' +
        'as text. With it, every label column must be one of the spec\'s labels and every value must fit\n' +
        'it (integers and numbers in range, one of a category\'s options, true/false/yes/no/1/0).\n' +
        'Rows that cannot be imported (unknown discussion, comment out of range, value outside the\n' +
        'label\'s schema, the same annotator and comment twice, bytes that are not UTF-8, a wrong number\n' +
        'of fields) are listed with their line and skipped; the other rows are imported. Importing the\n' +
        'same file again adds nothing; a different value for a comment the same annotator already\n' +
        'labelled is rejected, never overwritten.\n\n' +
        'Example:\n  sdf import-labels coders.csv --workspace my-study --annotator-spec toxicity-basic\n'
    )
    .action(async (file: string, flags: ImportLabelsFlags) => {
      const root = workspacePath(flags.workspace)
      let bytes: Uint8Array
      try {
        bytes = await readFile(file)
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        throw new CliError(
          code === 'ENOENT' ? `${file}: no such file` : code === 'EISDIR' ? `${file} is a folder, not a CSV file` : `cannot read ${file}: ${(error as Error).message}`
        )
      }
      let workspace: Workspace
      try {
        workspace = await Workspace.open(root)
      } catch (error) {
        throw new CliError(`cannot open workspace ${root}: ${(error as Error).message}`)
      }
      let report: HumanLabelImportReport
      try {
        report = await importHumanLabels(workspace, bytes, {
          fileName: file,
          ...(flags.annotatorSpec !== undefined ? { annotatorSpecId: flags.annotatorSpec } : {})
        })
      } catch (error) {
        if (error instanceof HumanLabelImportError) throw new CliError(error.message)
        throw error
      }
      process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : describeReport(report, root))
      if (flags.strict && report.rejected_count > 0) throw new CliError(`${count(report.rejected_count, 'row')} rejected (--strict)`)
    })
}

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`

function describeReport(report: HumanLabelImportReport, root: string): string {
  const lines = [
    `Imported ${count(report.imported, 'human annotation')} from ${report.file} into ${root}`,
    `  ${count(report.rows_read, 'row')} read; labels: ${report.labels.join(', ')}` +
      (report.annotator_spec_id ? ` (checked against annotator spec ${report.annotator_spec_id})` : ''),
    `  ${count(report.annotators.length, 'annotator')} (${report.annotators.join(', ') || 'none'}) over ${count(report.discussions, 'discussion')}`
  ]
  if (report.already_present > 0) lines.push(`  ${count(report.already_present, 'row')} already in the workspace, unchanged`)
  if (report.rejected_count > 0) {
    lines.push(`  ${count(report.rejected_count, 'row')} rejected:`)
    for (const row of report.rejected) lines.push(`    line ${row.line}: ${row.reason}`)
    if (report.rejected_count > report.rejected.length) lines.push(`    … and ${report.rejected_count - report.rejected.length} more`)
  }
  return `${lines.join('\n')}\n`
}
