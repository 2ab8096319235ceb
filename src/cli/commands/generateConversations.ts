import { mkdir, readdir, readFile, stat } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { Option, type Command } from 'commander'
import {
  createRun,
  FormatError,
  newRunId,
  openRun,
  parseSourceFile,
  planFromSdfConfig,
  pythonJsonDump,
  readRunPlans,
  RUN_FILES,
  sdfHistoryItem,
  SeededRandom,
  seededUuid4,
  toSdfConversation,
  writeFileAtomically,
  type Discussion,
  type DiscussionPlan,
  type DiscussionRun,
  type RunLocation
} from '../../core/index.js'
import { CliError } from '../cliError.js'
import { ArgparseStyleCommand, seedNumber, wholeNumber } from './pythonStyleOptions.js'
import { exitOnInterrupt, loadModel, positiveNumber, ProgressLine, reportRunResult, sequencesFor, showProgress } from './runSupport.js'
import { filesIn } from './sdfParity.js'

interface GenerateConversationsFlags {
  input_file?: string
  input_dir?: string
  output_dir: string
  model_path: string
  max_tokens: number
  ctx_width_tokens: number
  random_seed: number
  inference_threads: number
  gpu_layers: number
  concurrency: number
  resume?: boolean
  model_name?: string
  type: string
}

/** The run folders live beside the outputs; hidden, so importers and `os.walk`-style readers of SDF output skip them… mostly. */
const RUNS_DIR = '.sdf-run'
const RUN_PREFIX = 'conversations'

interface Input {
  path: string
  /** The file name without `.json`: the end of the output's name. */
  stem: string
}

/** Output names: `%y-%m-%d-%H-%M-%S-<input name>.json`, SynDisco 2.0's second resolution plus the input. */
function outputPattern(stem: string): RegExp {
  const escaped = stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`^\\d{2}(?:-\\d{2}){5}-${escaped}(?:-\\d+)?\\.json$`)
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false
  )
}

/** A name no earlier output has: SDF's minute-resolution names silently overwrote each other. */
async function uniqueOutputPath(dir: string, timestamp: string, stem: string): Promise<string> {
  for (let n = 1; ; n += 1) {
    const path = join(dir, `${timestamp}-${stem}${n === 1 ? '' : `-${n}`}.json`)
    if (!(await exists(path))) return path
  }
}

/** The most recent run folder under `<output_dir>/.sdf-run` that holds plans, if any. */
async function latestRun(runsRoot: string): Promise<string | null> {
  const names = await readdir(runsRoot).catch(() => [] as string[])
  const runs: string[] = []
  for (const name of names.filter((n) => n.startsWith(`${RUN_PREFIX}-`)).sort()) {
    if (await exists(join(runsRoot, name, RUN_FILES.plans))) runs.push(name)
  }
  return runs[runs.length - 1] ?? null
}

function sdfResumeHint(): string {
  const args = process.argv.slice(2)
  return `sdf ${args.map((arg) => (/^[\w./:=@-]+$/.test(arg) ? arg : JSON.stringify(arg))).join(' ')}${args.includes('--resume') ? '' : ' --resume'}`
}

export function registerGenerateConversations(program: Command): void {
  const command = new ArgparseStyleCommand('generate-conversations')
    .copyInheritedSettings(program)
    .description(
      "Generate one discussion per SDF LLMConvData input, as SDF's generate_conversations.py (and its " +
        'conversation_execute_all.sh for a folder) did: same flags, same prompts, same output schema (v0.2 / ' +
        'SynDisco 2.0), plus K at a time, a journal for --resume, and unique output names.'
    )
    .option('--input_file <file>', 'one LLMConvData JSON (from sdf generate-conv-configs)')
    .option('--input_dir <dir>', 'every file in this folder is an input (conversation_execute_all.sh)')
    .requiredOption('--output_dir <dir>', 'output folder (created if missing)')
    .requiredOption('--model_path <file>', 'GGUF model file')
    .option('--max_tokens <n>', 'maximum new tokens per reply', wholeNumber, 512)
    .option('--ctx_width_tokens <n>', "llama's n_ctx: tokens per sequence, prompt and reply", wholeNumber, 1024)
    .option('--random_seed <n>', 'seed of every discussion and every call; the same seed repeats the same discussions', seedNumber, 42)
    .option('--inference_threads <n>', 'CPU threads', wholeNumber, 4)
    .option('--gpu_layers <n>', 'layers offloaded to the GPU; 0 runs on the CPU', wholeNumber, 12)
    .option('--concurrency <k>', 'discussions generating at once (SDF Studio)', positiveNumber, 1)
    .option('--resume', 'skip inputs whose output exists and continue interrupted ones (SDF Studio)')
    .option('--model_name <name>', 'model name recorded with every comment (SDF v0.1); default the GGUF name')
    .addOption(new Option('--type <type>', 'model library (SDF v0.1); only llama is available').choices(['llama', 'transformers']).default('llama'))
    .addHelpText(
      'after',
      '\nOutputs are named %y-%m-%d-%H-%M-%S-<input name>.json; the journal that --resume reads is kept in\n' +
        `<output_dir>/${RUNS_DIR}/. One unreadable input is reported and skipped; the exit code is 1 if any failed.\n\n` +
        'Example:\n  sdf generate-conversations --input_dir generated --output_dir out --model_path models/llama-3-8b.gguf \\\n' +
        '    --max_tokens 400 --ctx_width_tokens 4058 --inference_threads 10 --gpu_layers 9 --concurrency 4'
    )
    .action(async (flags: GenerateConversationsFlags) => {
      if ((flags.input_file === undefined) === (flags.input_dir === undefined)) {
        throw new CliError('exactly one of the arguments --input_file --input_dir is required')
      }
      if (flags.type !== 'llama') throw new CliError('--type transformers is not available: SDF Studio runs GGUF models through llama.cpp')
      if (flags.max_tokens < 1) throw new CliError('--max_tokens must be at least 1')
      if (flags.ctx_width_tokens < 2) throw new CliError('--ctx_width_tokens must be at least 2')
      if (flags.inference_threads < 1) throw new CliError('--inference_threads must be at least 1')
      if (flags.gpu_layers < 0) throw new CliError('--gpu_layers must not be negative')

      const paths = flags.input_file !== undefined ? [resolve(flags.input_file)] : (await filesIn(flags.input_dir as string, '--input_dir')).map((path) => resolve(path))
      if (flags.input_file !== undefined && !(await exists(paths[0] as string))) throw new CliError(`--input_file: no such file: ${flags.input_file}`)
      const outputDir = resolve(flags.output_dir)
      await mkdir(outputDir, { recursive: true })
      const runsRoot = join(outputDir, RUNS_DIR)
      const failures: string[] = []
      const fail = (file: string, reason: string): void => {
        failures.push(file)
        process.stderr.write(`sdf: error: ${file}: ${reason}\n`)
      }

      // Inputs whose output already exists are done (--resume), whatever run made them.
      const outputs = (await readdir(outputDir)).filter((name) => name.endsWith('.json'))
      const inputs: Input[] = []
      for (const path of paths) {
        const stem = basename(path).replace(/\.json$/i, '')
        const done = flags.resume ? outputs.find((name) => outputPattern(stem).test(name)) : undefined
        if (done) process.stdout.write(`Skipping ${path}: already generated ${join(outputDir, done)}\n`)
        else inputs.push({ path, stem })
      }

      const previous = flags.resume ? await latestRun(runsRoot) : null
      const runId = previous ?? newRunId(RUN_PREFIX)
      const earlierPlans = previous ? await readRunPlans(join(runsRoot, previous, RUN_FILES.plans)) : []
      const modelLabel = flags.model_name ?? basename(flags.model_path).replace(/\.gguf$/i, '')
      const root = SeededRandom.fromSeed(flags.random_seed)
      const plans: DiscussionPlan[] = []
      const stems = new Map<string, Input>()
      for (const input of inputs) {
        const earlier = earlierPlans.find((plan) => plan.origin.kind === 'sdf-config' && plan.origin.file === input.path)
        if (earlier) {
          plans.push(earlier)
          stems.set(earlier.id, input)
          continue
        }
        let text: string
        try {
          text = await readFile(input.path, 'utf8')
        } catch (error) {
          fail(input.path, `cannot be read: ${(error as Error).message}`)
          continue
        }
        const parsed = parseSourceFile({ path: input.path, text, sha256: '' })
        if (parsed instanceof FormatError) {
          fail(input.path, parsed.describe().replace(`${input.path}: `, ''))
          continue
        }
        if (parsed.kind !== 'discussion-config') {
          fail(input.path, `not an LLMConvData discussion input (it reads as ${parsed.format})`)
          continue
        }
        // The seed depends on the input's name only, so the same seed repeats the same discussion.
        const stream = root.fork('input').fork(input.stem)
        try {
          const plan = planFromSdfConfig(parsed.config, {
            id: seededUuid4(stream.fork('id').fork(runId)),
            seed: stream.fork('seed').nextSeed(),
            model: modelLabel,
            maxTokens: flags.max_tokens,
            file: input.path
          })
          plans.push(plan)
          stems.set(plan.id, input)
        } catch (error) {
          fail(input.path, (error as Error).message.split('\n').join(' '))
        }
      }

      if (plans.length > 0) {
        process.stdout.write('Loading LLM...\n')
        const agents = Math.max(...plans.map((plan) => plan.users.length + (plan.moderator ? 1 : 0)))
        const model = await loadModel({
          modelPath: flags.model_path,
          flag: '--model_path',
          threads: flags.inference_threads,
          gpu: flags.gpu_layers === 0 ? false : 'auto',
          gpuLayers: flags.gpu_layers,
          contextSize: flags.ctx_width_tokens,
          sequences: sequencesFor(flags.concurrency, agents, flags.ctx_width_tokens),
          ...(flags.model_name === undefined ? {} : { modelName: flags.model_name })
        })
        process.stdout.write('Model loaded.\n')
        const stopInterrupt = exitOnInterrupt(sdfResumeHint())
        try {
          const location: RunLocation = {
            runId,
            directory: join(runsRoot, runId),
            saveDiscussion: async (discussion: Discussion) => {
              const stem = stems.get(discussion.id)?.stem ?? discussion.id
              const path = await uniqueOutputPath(outputDir, discussion.timestamp ?? 'unknown', stem)
              await writeFileAtomically(path, pythonJsonDump(toSdfConversation(discussion)))
              return path
            }
          }
          const settings = { concurrency: flags.concurrency }
          const provenance = {
            modelPath: flags.model_path,
            llama: model.llama,
            parameters: {
              command: 'generate-conversations',
              max_tokens: flags.max_tokens,
              ctx_width_tokens: flags.ctx_width_tokens,
              random_seed: flags.random_seed,
              inference_threads: flags.inference_threads,
              gpu_layers: flags.gpu_layers,
              sequences: model.backend.info.sequences
            }
          }
          let run: DiscussionRun
          if (previous) {
            const wanted = new Set(plans.map((plan) => plan.id))
            run = await openRun(location, model.backend, {
              ...settings,
              provenance,
              addPlans: plans,
              exclude: new Set(earlierPlans.map((plan) => plan.id).filter((id) => !wanted.has(id)))
            })
            for (const warning of run.warnings) process.stderr.write(`sdf: warning: ${warning}\n`)
          } else {
            run = await createRun({ ...settings, location, plans, backend: model.backend, provenance: { ...provenance, seed: flags.random_seed } })
          }
          const progress = new ProgressLine(plans.length, run.status().filter((s) => s.state === 'finished').length)
          const started = new Set<string>()
          const detach = showProgress(run, progress)
          run.subscribe((event) => {
            if (event.type === 'discussion-state') {
              const input = stems.get(event.discussion_id)
              if (event.state === 'running' && !started.has(event.discussion_id)) {
                started.add(event.discussion_id)
                progress.log(`Processing file: ${input?.path ?? event.discussion_id}`)
                progress.log('Beginning conversation...')
              } else if (event.state === 'finished' && event.file) {
                progress.log(`Conversation saved to  ${event.file}`)
              } else if (event.state === 'failed') {
                failures.push(input?.path ?? event.discussion_id)
              }
            } else if (event.type === 'discussion' && event.event.type === 'comment' && !event.event.replayed && flags.concurrency === 1) {
              // SDF printed each archived message as the history shows it (blank ones as an empty line).
              progress.log(sdfHistoryItem(event.event.comment.author, event.event.comment.text))
            }
          })
          for (const status of run.status()) {
            if (status.state === 'finished' && status.file) process.stdout.write(`Skipping ${stems.get(status.id)?.path}: already generated ${status.file}\n`)
          }
          const result = await run.start()
          detach()
          progress.done()
          try {
            reportRunResult(result, sdfResumeHint())
          } catch {
            // Counted below with the unreadable inputs.
          }
        } finally {
          stopInterrupt()
          await model.close()
        }
      }
      if (failures.length > 0) {
        throw new CliError(`${failures.length} of ${paths.length} input file(s) failed: ${failures.join(', ')}`)
      }
    })
  program.addCommand(command)
}
