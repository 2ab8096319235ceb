import { mkdir, readFile, stat } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import type { Command } from 'commander'
import {
  annotateDiscussion,
  AnnotatorSpecSchema,
  FormatError,
  parseSourceFile,
  recoverPersona,
  shortHash,
  toSdfAnnotationFiles,
  writeFileAtomically,
  type Annotation,
  type Discussion
} from '../../core/index.js'
import { CliError } from '../cliError.js'
import { ArgparseStyleCommand, seedNumber, wholeNumber } from './pythonStyleOptions.js'
import { loadModel } from './runSupport.js'
import { filesIn } from './sdfParity.js'

interface GenerateAnnotationsFlags {
  prompt_input_path: string
  conv_path?: string
  conv_dir?: string
  output_dir: string
  model_path: string
  max_tokens: number
  ctx_width_tokens: number
  random_seed: number
  inference_threads: number
  gpu_layers: number
  model_name?: string
}

/** SDF's `LlmAnnotationData` (spec §1.6), as `parseSourceFile` reads it. */
interface SdfAnnotationConfig {
  attributes: string[]
  instructions: string
  include_moderator_comments: boolean
  history_ctx_len: number
}

export function registerGenerateAnnotations(program: Command): void {
  const command = new ArgparseStyleCommand('generate-annotations')
    .copyInheritedSettings(program)
    .description(
      "Annotate SDF conversations with one SDF annotator config, as SDF's generate_annotations.py (and " +
        'annotation_execute_all.sh for a folder) did: same flags, same prompt, free-text answers parsed as Key=value.'
    )
    .requiredOption('--prompt_input_path <file>', 'annotator config JSON (from sdf generate-annotation-configs)')
    .option('--conv_path <file>', 'one conversation output JSON')
    .option('--conv_dir <dir>', 'every conversation JSON in this folder (SDF Studio)')
    .requiredOption('--output_dir <dir>', 'output folder (created if missing)')
    .requiredOption('--model_path <file>', 'GGUF model file')
    .option('--max_tokens <n>', 'maximum new tokens per annotation', wholeNumber, 512)
    .option('--ctx_width_tokens <n>', "llama's n_ctx", wholeNumber, 1024)
    .option('--random_seed <n>', 'seed of every call', seedNumber, 42)
    .option('--inference_threads <n>', 'CPU threads', wholeNumber, 4)
    .option('--gpu_layers <n>', 'layers offloaded to the GPU; 0 runs on the CPU', wholeNumber, 12)
    .option('--model_name <name>', 'annotator model name written to the output; default the GGUF name')
    .addHelpText(
      'after',
      '\nWrites one annotation file per conversation in the SDF v0.2 / SynDisco 2.0 schema, named\n' +
        '%y-%m-%d-%H-%M-%S-<conversation file>.json. Moderator comments are recognised by the conversation\'s\n' +
        '"moderator" field, not by a substring of the name. One unreadable conversation is reported and skipped.'
    )
    .action(async (flags: GenerateAnnotationsFlags) => {
      if ((flags.conv_path === undefined) === (flags.conv_dir === undefined)) {
        throw new CliError('exactly one of the arguments --conv_path --conv_dir is required')
      }
      const config = await readAnnotationConfig(flags.prompt_input_path)
      const conversations = flags.conv_path !== undefined ? [resolve(flags.conv_path)] : await filesIn(flags.conv_dir as string, '--conv_dir')
      const outputDir = resolve(flags.output_dir)
      await mkdir(outputDir, { recursive: true })

      process.stdout.write('Loading LLM...\n')
      const model = await loadModel({
        modelPath: flags.model_path,
        flag: '--model_path',
        threads: flags.inference_threads,
        gpu: flags.gpu_layers === 0 ? false : 'auto',
        gpuLayers: flags.gpu_layers,
        contextSize: flags.ctx_width_tokens,
        sequences: 1,
        ...(flags.model_name === undefined ? {} : { modelName: flags.model_name })
      })
      process.stdout.write('Model loaded.\n')
      const spec = AnnotatorSpecSchema.parse({
        id: `sdf-annotator-${shortHash(JSON.stringify(config), 12)}`,
        name: model.backend.modelName,
        persona: recoverPersona('annotator', config.attributes).persona,
        instructions: config.instructions,
        mode: 'sdf-legacy',
        context: { history: Math.max(1, config.history_ctx_len), include_moderator_comments: config.include_moderator_comments }
      })
      let failed = 0
      try {
        for (const path of conversations) {
          const discussion = await readConversation(path).catch((error: Error) => error)
          if (discussion instanceof Error) {
            failed += 1
            process.stderr.write(`sdf: error: ${path}: ${discussion.message}\n`)
            continue
          }
          const annotations: Annotation[] = []
          for await (const annotation of annotateDiscussion(spec, discussion, model.backend, {
            seed: flags.random_seed,
            maxTokens: flags.max_tokens,
            legacyAttributes: config.attributes
          })) {
            annotations.push(annotation)
          }
          const [file] = toSdfAnnotationFiles(discussion.id, annotations, {
            comments: discussion.comments,
            ctxLength: config.history_ctx_len
          })
          const out = await uniquePath(outputDir, basename(path).replace(/\.json$/i, ''))
          await writeFileAtomically(out, `${JSON.stringify(file ?? emptyFile(discussion, spec.name), null, 4)}\n`)
          process.stdout.write(`Conversation saved to ${out}\n`)
        }
      } finally {
        await model.close()
      }
      if (failed > 0) throw new CliError(`${failed} of ${conversations.length} conversation(s) could not be annotated`)
    })
  program.addCommand(command)
}

async function readAnnotationConfig(path: string): Promise<SdfAnnotationConfig> {
  const text = await readFile(path, 'utf8').catch(() => {
    throw new CliError(`--prompt_input_path: cannot read ${path}`)
  })
  const parsed = parseSourceFile({ path, text, sha256: shortHash(text, 64) })
  if (parsed instanceof FormatError) throw new CliError(`--prompt_input_path: ${parsed.describe()}`)
  if (parsed.kind !== 'settings' || parsed.format !== 'sdf-annotation-config') {
    throw new CliError(`--prompt_input_path: ${path} is not an SDF annotator config (expected attributes, instructions, include_moderator_comments)`)
  }
  return parsed.settings as unknown as SdfAnnotationConfig
}

async function readConversation(path: string): Promise<Discussion> {
  const text = await readFile(path, 'utf8')
  const parsed = parseSourceFile({ path, text, sha256: shortHash(text, 64) })
  if (parsed instanceof FormatError) throw new Error(parsed.field ? `field ${parsed.field}: ${parsed.message}` : parsed.message)
  if (parsed.kind !== 'discussion') throw new Error('not an SDF conversation output file')
  return { ...parsed.discussion }
}

/** A discussion with nothing to annotate (only moderator comments, say) still gets its file. */
function emptyFile(discussion: Discussion, model: string) {
  return { conv_id: discussion.id, timestamp: null, annotator_model: model, annotator_prompt: null, ctx_length: null, logs: [] }
}

async function uniquePath(dir: string, stem: string): Promise<string> {
  const now = new Date()
  const pad = (n: number) => String(n).padStart(2, '0')
  const stamp = `${pad(now.getFullYear() % 100)}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}-${pad(now.getHours())}-${pad(now.getMinutes())}-${pad(now.getSeconds())}`
  for (let n = 1; ; n += 1) {
    const path = join(dir, `${stamp}-${stem}${n === 1 ? '' : `-${n}`}.json`)
    if (!(await stat(path).catch(() => undefined))) return path
  }
}
