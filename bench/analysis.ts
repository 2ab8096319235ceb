// `npm run bench:analysis [-- --discussions 10000 --comments 15 --annotators 4 --workspace DIR --reps 1]`
//
// Analyses and table exports on a synthetic workspace of `--discussions` discussions × `--comments`
// comments, each comment labelled by `--annotators` LLM annotators (defaults: 10,000 / 150,000 /
// 600,000). The workspace is written straight into the folder layout (bench/lib/syntheticWorkspace.ts)
// and kept in `--workspace` (default under the OS temp dir) so later runs reuse it. Each measured
// phase runs in its own child process, so "peak RSS" is that phase's own high-water mark: loading
// the workspace plus every analysis, and each export format. Results also go to bench/results/.
import { spawn } from 'node:child_process'
import { mkdir, rm, stat, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  commentLengths,
  discussionDiversity,
  exportTables,
  labelByGroup,
  labelByTurn,
  loadAnalysisDataset,
  moderatorInterventions,
  participationRate,
  trollEffect,
  Workspace,
  type TableFormat
} from '../src/core/index.js'
import { parseArgs } from './lib/args.js'
import { writeSyntheticWorkspace } from './lib/syntheticWorkspace.js'

const args = parseArgs(process.argv.slice(2))
const discussions = Number(args.get('discussions') ?? 10_000)
const commentsPer = Number(args.get('comments') ?? 15)
const annotators = Number(args.get('annotators') ?? 4)
const workspaceDir = args.get('workspace') ?? join(tmpdir(), `sdf-bench-analysis-${discussions}x${commentsPer}x${annotators}`)
const phase = args.get('phase')
const root = fileURLToPath(new URL('..', import.meta.url))

interface PhaseResult {
  phase: string
  timings: Record<string, number>
  /** CPU time (user + system, all threads) per step: far steadier than wall time on a shared machine. */
  cpu: Record<string, number>
  peak_rss_mb: number
  detail?: Record<string, unknown>
}

const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024)

const cpu: Record<string, number> = {}

async function time<T>(timings: Record<string, number>, name: string, work: () => Promise<T> | T): Promise<T> {
  const started = performance.now()
  const cpuStart = process.cpuUsage()
  const result = await work()
  timings[name] = Math.round(performance.now() - started)
  const used = process.cpuUsage(cpuStart)
  cpu[name] = Math.round((used.user + used.system) / 1000)
  return result
}

async function runAnalyses(): Promise<PhaseResult> {
  const workspace = await Workspace.open(workspaceDir)
  const timings: Record<string, number> = {}
  const dataset = await time(timings, 'load workspace (read + validate)', () => loadAnalysisDataset(workspace))
  const label = 'toxicity'
  await time(timings, 'labelByTurn (index × condition)', () => labelByTurn(dataset, { label, groupBy: { by: 'condition', key: 'strategy' } }))
  await time(timings, 'labelByTurn (user turn × model)', () => labelByTurn(dataset, { label, x: 'user_turn', groupBy: { by: 'model' } }))
  await time(timings, 'labelByGroup (role, ANOVA + Welch)', () => labelByGroup(dataset, { label, groupBy: { by: 'role' } }))
  await time(timings, 'labelByGroup (condition, KW + Dunn)', () =>
    labelByGroup(dataset, { label, groupBy: { by: 'condition', key: 'strategy' }, test: 'kruskal-wallis' })
  )
  const troll = await time(timings, 'trollEffect (k = 2)', () => trollEffect(dataset, { label, k: 2 }))
  await time(timings, 'moderatorInterventions', () => moderatorInterventions(dataset, { groupBy: { by: 'condition', key: 'strategy' } }))
  await time(timings, 'participationRate', () => participationRate(dataset, { groupBy: { by: 'model' } }))
  await time(timings, 'commentLengths', () => commentLengths(dataset, { groupBy: { by: 'model' } }))
  const diversity = await time(timings, 'discussionDiversity (ROUGE-L)', () =>
    discussionDiversity(dataset, { groupBy: { by: 'condition', key: 'strategy' } })
  )
  const comments = dataset.discussions.reduce((sum, d) => sum + d.comments.length, 0)
  const ratings = dataset.discussions.reduce((sum, d) => sum + d.comments.reduce((s, c) => s + c.ratings.length, 0), 0)
  return {
    phase: 'analyses',
    timings,
    cpu,
    peak_rss_mb: peakRssMb(),
    detail: {
      discussions: dataset.discussions.length,
      comments,
      ratings,
      troll_p: troll.by_discussion.test.p,
      diversity_pairs: diversity.discussions.reduce((sum, row) => sum + row.pairs, 0)
    }
  }
}

async function runExport(format: TableFormat): Promise<PhaseResult> {
  const workspace = await Workspace.open(workspaceDir)
  const out = join(tmpdir(), `sdf-bench-export-${format}`)
  await rm(out, { recursive: true, force: true })
  const timings: Record<string, number> = {}
  // When the first batch of rows was written (before it: starting workers, or the one-thread
  // export's column-finding pass), and when the files began to close (Parquet: DuckDB converting).
  let firstRows = 0
  let closing = 0
  const started = performance.now()
  const result = await time(timings, `export ${format} (total)`, () =>
    exportTables(workspace, {
      format,
      outFolder: out,
      onProgress: (progress) => {
        if (progress.phase === 'write' && firstRows === 0) firstRows = performance.now()
        if (progress.phase === 'finish' && closing === 0) closing = performance.now()
      }
    })
  )
  const ended = performance.now()
  timings[`  until the first rows`] = Math.round(firstRows - started)
  timings[`  closing the files`] = Math.round(ended - closing)
  const sizes: Record<string, number> = {}
  for (const table of result.tables) sizes[table.name] = Math.round((await stat(table.file)).size / 1e6)
  await rm(out, { recursive: true, force: true })
  return {
    phase: `export-${format}`,
    timings,
    cpu,
    peak_rss_mb: peakRssMb(),
    detail: { rows: Object.fromEntries(result.tables.map((t) => [t.name, t.rows])), size_mb: sizes }
  }
}

function runChild(name: string): Promise<PhaseResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--phase', name, '--workspace', workspaceDir, '--discussions', String(discussions)],
      { stdio: ['ignore', 'pipe', 'inherit'] }
    )
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`phase ${name} exited with ${code}`))
      resolve(JSON.parse(output.trim().split('\n').at(-1)!) as PhaseResult)
    })
  })
}

if (phase) {
  const result =
    phase === 'analyses' ? await runAnalyses() : await runExport(phase.replace('export-', '') as TableFormat)
  process.stdout.write(`${JSON.stringify(result)}\n`)
} else {
  const exists = await stat(join(workspaceDir, 'sdf-workspace.json')).then(() => true, () => false)
  let generation: { ms: number; bytes: number } | undefined
  if (!exists || args.get('regenerate') === 'true') {
    process.stderr.write(`Writing a synthetic workspace to ${workspaceDir}…\n`)
    const started = performance.now()
    const written = await writeSyntheticWorkspace(workspaceDir, { discussions, commentsPerDiscussion: commentsPer, annotators, seed: 1 })
    generation = { ms: Math.round(performance.now() - started), bytes: written.bytes }
    process.stderr.write(
      `  ${written.discussions} discussions, ${written.comments} comments, ${written.annotations} annotations, ` +
        `${(written.bytes / 1e6).toFixed(0)} MB in ${(generation.ms / 1000).toFixed(1)} s\n`
    )
  }
  const phases = (args.get('phases') ?? 'analyses,export-csv,export-parquet,export-jsonl').split(',')
  const results: PhaseResult[] = []
  for (const name of phases) {
    process.stderr.write(`Running ${name}…\n`)
    results.push(await runChild(name))
  }
  const lines = ['| phase | step | wall ms | CPU ms |', '|---|---|---|---|']
  for (const result of results) {
    for (const [step, ms] of Object.entries(result.timings)) {
      const cpuMs = result.cpu[step]
      lines.push(`| ${result.phase} | ${step} | ${ms.toLocaleString('en')} | ${cpuMs === undefined ? '' : cpuMs.toLocaleString('en')} |`)
    }
    lines.push(`| ${result.phase} | **peak RSS (MB)** | ${result.peak_rss_mb} | |`)
  }
  process.stdout.write(`${lines.join('\n')}\n`)
  for (const result of results) if (result.detail) process.stdout.write(`${result.phase}: ${JSON.stringify(result.detail)}\n`)
  const machine = {
    node: process.version,
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    memory_gb: Math.round(totalmem() / 2 ** 30),
    loadavg: loadavg()
  }
  await mkdir(join(root, 'bench', 'results'), { recursive: true })
  const file = join(root, 'bench', 'results', `analysis-${new Date().toISOString().replaceAll(':', '-').replace('.', '-')}.json`)
  await writeFile(file, `${JSON.stringify({ discussions, commentsPer, annotators, generation, machine, results }, null, 2)}\n`)
  process.stdout.write(`machine: ${JSON.stringify(machine)}\nwrote ${file}\n`)
}
