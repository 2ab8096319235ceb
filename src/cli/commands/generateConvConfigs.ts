import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Option, type Command } from 'commander'
import {
  pythonJsonDump,
  AttributeStyleSchema,
  renderSdfAttributes,
  SDF_DEFAULT_MODERATOR_ATTRIBUTES,
  SDF_DEFAULT_MODERATOR_NAME,
  SDF_SEED_USERNAME,
  SDF_V01_CONTEXT,
  sdfV0Context,
  seededUuid4,
  SeededRandom,
  turnPolicyFromSdfName,
  type AttributeStyle
} from '../../core/index.js'
import { CliError } from '../cliError.js'
import { ArgparseStyleCommand, seedNumber, wholeNumber } from './pythonStyleOptions.js'
import { chosenSeed, filesIn, readPersonaDir, readVerbatim } from './sdfParity.js'

interface GenerateConvConfigsFlags {
  output_dir: string
  persona_dir: string
  topics_dir: string
  configs_path: string
  user_instruction_path: string
  mod_instruction_path: string
  num_generated_files: number
  num_users: number
  include_mod?: boolean
  seed?: number
  attribute_style: AttributeStyle
  seed_opinions?: boolean
}

/** The keys SDF's generator read from the configs JSON; a missing one was a KeyError. */
const CONFIG_KEYS = ['turn_manager_type', 'turn_manager_config', 'conv_len', 'history_ctx_len'] as const

async function readConfigs(path: string): Promise<Record<string, unknown>> {
  const text = await readVerbatim(path, '--configs_path')
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new CliError(`--configs_path: ${path} is not valid JSON: ${(error as Error).message}`)
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new CliError(`--configs_path: ${path} must hold a JSON object`)
  }
  const config = data as Record<string, unknown>
  for (const key of CONFIG_KEYS) {
    if (!(key in config)) throw new CliError(`--configs_path: ${path} has no "${key}" (needed: ${CONFIG_KEYS.join(', ')})`)
  }
  const type = config.turn_manager_type
  try {
    if (typeof type !== 'string') throw new Error(`turn_manager_type must be a string, got ${JSON.stringify(type)}`)
    turnPolicyFromSdfName(type)
  } catch (error) {
    // SDF wrote the file anyway and failed only when running it; say so now, but keep parity.
    process.stderr.write(`sdf: warning: ${path}: ${(error as Error).message.split('\n').join(' ')}\n`)
  }
  return config
}

export function registerGenerateConvConfigs(program: Command): void {
  const command = new ArgparseStyleCommand('generate-conv-configs')
    .copyInheritedSettings(program)
    .description(
      "Write SDF LLMConvData discussion inputs (<uuid4>.json), sampling personas and a topic for each, as SDF's " +
        'generate_conv_configs.py did, but reproducibly with --seed. Flag spellings and unambiguous prefixes as in SDF.'
    )
    .requiredOption('--output_dir <dir>', 'output directory for the generated files (created if missing)')
    .requiredOption('--persona_dir <dir>', 'directory of persona JSON files (one per file, or arrays)')
    .requiredOption('--topics_dir <dir>', 'directory of topic files (every file is one topic, used verbatim)')
    .requiredOption('--configs_path <file>', 'JSON with conv_len, history_ctx_len, turn_manager_type, turn_manager_config')
    .requiredOption('--user_instruction_path <file>', 'user instructions text file')
    .requiredOption('--mod_instruction_path <file>', 'moderator instructions text file (read even with --no-include_mod)')
    .option('--num_generated_files <n>', 'how many files to generate', wholeNumber, 20)
    .option('--num_users <n>', 'participants per discussion, drawn without replacement', wholeNumber, 4)
    .option('--include_mod', 'include a moderator (the default)')
    .option('--no-include_mod', 'no moderator')
    .option('--seed <n>', 'seed for sampling and file names; the same seed writes the same files', seedNumber)
    .addOption(
      new Option('--attribute_style <style>', "how persona attributes are rendered (SDF's styles over time)")
        .choices(AttributeStyleSchema.options)
        .default('field-value-sex-word')
    )
    .option('--seed_opinions', 'SDF v0.1 layout: the topic becomes a seed opinion by "FirstUser", not part of the context')
    .addHelpText(
      'after',
      '\nDeviations from SDF: the output folder is created; files are read in name order; without --seed a\n' +
        'random seed is chosen and printed to stderr.\n\n' +
        'Example:\n  sdf generate-conv-configs --output_dir generated --persona_dir personas --topics_dir topics \\\n' +
        '    --configs_path other_configs/standard_multi_user.json --user_instruction_path user_instructions/vanilla.txt \\\n' +
        '    --mod_instruction_path mod_instructions/collective_constitution.txt --num_users 3 --seed 42'
    )
    .action(async (flags: GenerateConvConfigsFlags) => {
      const out = (line: string): boolean => process.stdout.write(`${line}\n`)
      out('Reading input files...')
      const personas = await readPersonaDir(flags.persona_dir, '--persona_dir')
      const topicFiles = await filesIn(flags.topics_dir, '--topics_dir')
      if (topicFiles.length === 0) throw new CliError(`--topics_dir: no topic files in ${flags.topics_dir}`)
      const topics = await Promise.all(topicFiles.map((path) => readVerbatim(path, '--topics_dir')))
      const userInstructions = await readVerbatim(flags.user_instruction_path, '--user_instruction_path')
      const modInstructions = await readVerbatim(flags.mod_instruction_path, '--mod_instruction_path')
      const config = await readConfigs(flags.configs_path)
      if (flags.num_users > personas.length || flags.num_users < 0) {
        throw new CliError(
          `Number of users must be less or equal to the number of provided personas (--num_users ${flags.num_users}, ` +
            `${personas.length} personas in ${flags.persona_dir})`
        )
      }
      if (flags.num_generated_files < 0) throw new CliError('--num_generated_files must not be negative')
      const random = SeededRandom.fromSeed(chosenSeed(flags.seed))
      const includeMod = flags.include_mod ?? true

      out('Processing...')
      const files = Array.from({ length: flags.num_generated_files }, (_, index) => {
        const stream = random.fork('file').fork(index)
        const chosen = stream.fork('personas').sample(personas, flags.num_users)
        const topic = stream.fork('topic').pick(topics)
        // LLMConvData's dataclass field order is the JSON key order.
        const data: Record<string, unknown> = {
          context: flags.seed_opinions ? SDF_V01_CONTEXT : sdfV0Context(topic),
          user_names: chosen.map((persona) => persona.username),
          user_attributes: chosen.map((persona) => renderSdfAttributes(persona, flags.attribute_style)),
          user_instructions: userInstructions,
          turn_manager_type: config.turn_manager_type,
          turn_manager_config: config.turn_manager_config,
          conv_len: config.conv_len,
          history_ctx_len: config.history_ctx_len,
          moderator_name: includeMod ? SDF_DEFAULT_MODERATOR_NAME : null,
          moderator_attributes: includeMod ? [...SDF_DEFAULT_MODERATOR_ATTRIBUTES] : null,
          moderator_instructions: includeMod ? modInstructions : null
        }
        if (flags.seed_opinions) {
          data.seed_opinions = [topic]
          data.seed_opinion_usernames = [SDF_SEED_USERNAME]
        }
        return { name: `${seededUuid4(stream.fork('file-name'))}.json`, data }
      })

      out('Writing new conversation input files...')
      await mkdir(flags.output_dir, { recursive: true })
      for (const file of files) await writeFile(join(flags.output_dir, file.name), pythonJsonDump(file.data))
      out(`Files exported to ${flags.output_dir}`)
    })
  program.addCommand(command)
}
