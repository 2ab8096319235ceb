import { Option, type Command } from 'commander'
import {
  corpusToDiscussions,
  CorpusError,
  DEFAULT_CORPUS_COLUMNS,
  importCorpus,
  Workspace,
  type CorpusColumnRequest,
  type CorpusFormat,
  type CorpusImportReport
} from '../../core/index.js'
import { CliError } from '../cliError.js'
import { workspaceOption, workspacePath } from '../workspaceOption.js'

interface ImportCorpusFlags {
  name: string
  workspace: string
  format?: CorpusFormat
  conversationColumn?: string
  idColumn?: string
  /** false for --no-reply-to-column */
  replyToColumn?: string | false
  authorColumn?: string
  textColumn?: string
  flagColumn?: string | false
  timestampColumn?: string
  replace?: boolean
  discussions?: boolean
  json?: boolean
  strict?: boolean
}

function columnRequest(flags: ImportCorpusFlags): CorpusColumnRequest {
  const request: CorpusColumnRequest = {}
  if (flags.conversationColumn !== undefined) request.conversation = flags.conversationColumn
  if (flags.idColumn !== undefined) request.id = flags.idColumn
  if (flags.replyToColumn !== undefined) request.reply_to = flags.replyToColumn === false ? null : flags.replyToColumn
  if (flags.authorColumn !== undefined) request.author = flags.authorColumn
  if (flags.textColumn !== undefined) request.text = flags.textColumn
  if (flags.flagColumn !== undefined) request.flag = flags.flagColumn === false ? null : flags.flagColumn
  if (flags.timestampColumn !== undefined) request.timestamp = flags.timestampColumn
  return request
}

export function registerImportCorpus(program: Command): void {
  const d = DEFAULT_CORPUS_COLUMNS
  program
    .command('import-corpus')
    .description(
      'Import a corpus of real comment threads (CSV or JSONL) into a workspace, to seed discussions with ' +
        'human comments or to annotate and chart beside synthetic ones.'
    )
    .argument('<file>', 'a CSV file with a header row, or a JSONL file with one comment object per line')
    .requiredOption('--name <name>', 'the corpus name; its id (folder name) is derived from it')
    .addOption(workspaceOption())
    .addOption(new Option('--format <format>', 'default: jsonl for .jsonl/.ndjson files, csv otherwise').choices(['csv', 'jsonl']))
    .option('--conversation-column <name>', `column with the conversation id (default ${d.conversation})`)
    .option('--id-column <name>', `column with the message id (default ${d.id})`)
    .option('--reply-to-column <name>', `column with the id of the message replied to (default ${d.reply_to}, if present)`)
    .option('--no-reply-to-column', 'the file has no reply-to column: comments follow each other in file order')
    .option('--author-column <name>', `column with the author's name (default ${d.author})`)
    .option('--text-column <name>', `column with the comment text (default ${d.text})`)
    .option('--flag-column <name>', `yes/no column marking comments of interest (default ${d.flag}, if present)`)
    .option('--no-flag-column', 'ignore any flag column')
    .option('--timestamp-column <name>', 'column with the time of each comment, kept as text (default: none)')
    .option('--replace', 'replace a corpus of the same name')
    .option('--discussions', 'also store every conversation as a discussion (conditions source=human, corpus=<name>)')
    .option('--json', 'print one JSON object {"id", "name", "report"} instead of a summary')
    .option('--strict', 'exit with status 1 when any row was rejected')
    .addHelpText(
      'after',
      '\nThe defaults match the CMV "Conversations Gone Awry" CSV (conv_id, message_id, reply_to, user,\n' +
        'escalated, text). A named column the file lacks is an error that lists the columns found.\n' +
        'Rows that cannot be used (no id, a duplicate message id in its conversation, a wrong number of\n' +
        'fields) are skipped and listed with their line; empty rows are passed over. Bytes that are not\n' +
        'UTF-8 are replaced with U+FFFD and the rows are listed. The corpus is stored as\n' +
        'corpora/<id>/corpus.json and corpora/<id>/comments.jsonl.\n\n' +
        'Example:\n  sdf import-corpus cmv_awry2.csv --name "CMV awry" --workspace my-study\n'
    )
    .action(async (file: string, flags: ImportCorpusFlags) => {
      const root = workspacePath(flags.workspace)
      let workspace: Workspace
      try {
        workspace = await Workspace.open(root, { create: true })
      } catch (error) {
        throw new CliError(`cannot open workspace ${root}: ${(error as Error).message}`)
      }
      let imported: Awaited<ReturnType<typeof importCorpus>>
      try {
        imported = await importCorpus(workspace, file, {
          name: flags.name,
          columns: columnRequest(flags),
          ...(flags.format ? { format: flags.format } : {}),
          ...(flags.replace ? { replace: true } : {})
        })
      } catch (error) {
        if (!(error instanceof CorpusError)) throw error
        if (error.report) {
          process.stdout.write(flags.json ? `${JSON.stringify({ report: error.report })}\n` : describeReport(error.report))
        }
        throw new CliError(error.message)
      }
      const { corpus, report } = imported
      let discussions = 0
      if (flags.discussions) {
        for (const discussion of corpusToDiscussions(corpus)) {
          await workspace.discussions.put(discussion)
          discussions += 1
        }
      }
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ id: corpus.info.id, name: corpus.info.name, discussions, report })}\n`)
      } else {
        process.stdout.write(
          `Imported corpus "${corpus.info.name}" (id ${corpus.info.id}) into ${root}\n${describeReport(report)}` +
            (flags.discussions ? `  stored ${discussions} conversations as discussions\n` : '')
        )
      }
      if (flags.strict && report.rejected_count > 0) {
        throw new CliError(`${count(report.rejected_count, 'row')} rejected (--strict)`)
      }
    })
}

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`

function describeReport(report: CorpusImportReport): string {
  const flagged = report.flagged === null ? '' : ` (${report.flagged} flagged)`
  const lines = [
    `  ${count(report.rows_read, 'row')} read from ${report.file}`,
    `  ${count(report.comments, 'comment')} in ${count(report.conversations, 'conversation')}${flagged}`
  ]
  if (report.empty_rows > 0) lines.push(`  ${count(report.empty_rows, 'empty row')} passed over`)
  if (report.rejected_count > 0) {
    lines.push(`  ${count(report.rejected_count, 'row')} rejected:`)
    for (const row of report.rejected) lines.push(`    line ${row.line}: ${row.reason}`)
    if (report.rejected_count > report.rejected.length) lines.push(`    … and ${report.rejected_count - report.rejected.length} more`)
  }
  if (report.warning_count > 0) {
    lines.push(`  ${count(report.warning_count, 'warning')}:`)
    for (const warning of report.warnings) lines.push(`    ${warning.line === null ? '' : `line ${warning.line}: `}${warning.message}`)
    if (report.warning_count > report.warnings.length) lines.push(`    … and ${report.warning_count - report.warnings.length} more`)
  }
  return `${lines.join('\n')}\n`
}
