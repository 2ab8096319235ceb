import { resolve } from 'node:path'
import { Option, type Command } from 'commander'
import { exportSdfFiles, exportTables, Workspace, type ExportProgress, type TableFormat } from '../../core/index.js'
import { CliError } from '../cliError.js'
import { workspaceOption, workspacePath } from '../workspaceOption.js'
import { wholeNumber } from './pythonStyleOptions.js'

interface ExportFlags {
  workspace: string
  format: 'sdf' | TableFormat
  out: string
  discussion?: string[]
  workers?: number
}

const BAR_WIDTH = 24
const PHASES: Record<ExportProgress['phase'], string> = {
  scan: 'Scanning',
  write: 'Writing',
  finish: 'Finishing files'
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('Export a workspace’s discussions and annotations as tables, or in a format other tools read')
    .addOption(workspaceOption())
    .addOption(
      new Option(
        '--format <format>',
        'csv | jsonl | parquet: long tables + SynDisco’s flat table + a data dictionary; ' +
          'sdf: SynDisco 2.0 / SDF v0.2 JSON files the original tooling reads'
      )
        .choices(['csv', 'jsonl', 'parquet', 'sdf'])
        .makeOptionMandatory()
    )
    .requiredOption('--out <dir>', 'folder to write into (created if missing)')
    .option('--discussion <id...>', 'only these discussions (default: all)')
    .option('--workers <n>', 'worker threads for csv/jsonl/parquet (0: none; default for 1,000+ discussions: one per core but one, at least 2, at most 6)', wholeNumber)
    .addHelpText(
      'after',
      '\ncsv, jsonl, parquet: writes <out>/<table>.<ext> for the tables discussions, participants, comments,\n' +
        'annotations, annotators and sdf_flat (SynDisco’s one-row-per-comment-and-annotation CSV layout, with\n' +
        'md5 message ids), plus data_dictionary.csv and data_dictionary.json describing every column.\n' +
        'Rows are keyed by discussion_id, comment_id (<discussion_id>:<comment_index>), annotation_id and annotator_id.\n\n' +
        'sdf: writes discussions/<id>.json and annotations/<id>.<annotator>.json. SDF Studio’s extra fields sit\n' +
        'under the "sdf_studio" key, which the original tooling ignores, so importing the files again loses nothing.\n\n' +
        'Example:\n  sdf export --workspace my-study --format parquet --out exports/my-study'
    )
    .action(async (flags: ExportFlags) => {
      const root = workspacePath(flags.workspace)
      const workspace = await Workspace.open(root).catch((error: Error) => {
        throw new CliError(`cannot open workspace ${root}: ${error.message}`)
      })
      const out = resolve(flags.out)
      const selection = flags.discussion ? { discussionIds: flags.discussion } : {}
      if (flags.format === 'sdf') {
        const result = await exportSdfFiles(workspace, out, selection).catch((error: Error) => {
          throw new CliError(`export failed: ${error.message}`)
        })
        process.stdout.write(
          `Exported ${result.discussions} discussions and ${result.annotationFiles} annotation files to ${out}\n`
        )
        return
      }
      const bar = process.stderr.isTTY ? progressBar() : undefined
      const result = await exportTables(workspace, {
        format: flags.format,
        outFolder: out,
        ...selection,
        ...(flags.workers === undefined ? {} : { workers: flags.workers }),
        ...(bar ? { onProgress: bar.update } : {})
      })
        .catch((error: Error) => {
          throw new CliError(`export failed: ${error.message}`)
        })
        .finally(() => bar?.clear())
      const lines = [`Exported to ${out} (${result.format}):`]
      for (const table of result.tables) lines.push(`  ${table.name}: ${table.rows} rows`)
      lines.push(`  data dictionary: ${result.dataDictionary.map((file) => file.slice(out.length + 1)).join(', ')}`)
      if (result.problems.length > 0) {
        lines.push(`${result.problems.length} record(s) could not be read and were left out:`)
        for (const problem of result.problems.slice(0, 20)) lines.push(`  ${problem.file}: ${problem.message}`)
      }
      process.stdout.write(`${lines.join('\n')}\n`)
    })
}

/** A one-line bar on stderr, redrawn at most every 100 ms. */
function progressBar(): { update: (progress: ExportProgress) => void; clear: () => void } {
  let last = 0
  let shown = false
  return {
    update(progress) {
      const now = Date.now()
      if (now - last < 100 && progress.done !== progress.total) return
      last = now
      const filled = progress.total === 0 ? BAR_WIDTH : Math.round((progress.done / progress.total) * BAR_WIDTH)
      process.stderr.write(
        `\r\x1b[2K[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${PHASES[progress.phase]} ${progress.done}/${progress.total}`
      )
      shown = true
    },
    clear() {
      if (shown) process.stderr.write('\r\x1b[2K')
    }
  }
}
