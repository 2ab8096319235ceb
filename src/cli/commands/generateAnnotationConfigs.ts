import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Option, type Command } from 'commander'
import { AttributeStyleSchema, pythonJsonDump, renderSdfAttributes, seededUuid4, SeededRandom, type AttributeStyle } from '../../core/index.js'
import { ArgparseStyleCommand, seedNumber, wholeNumber } from './pythonStyleOptions.js'
import { chosenSeed, readPersonaDir, readVerbatim } from './sdfParity.js'

interface GenerateAnnotationConfigsFlags {
  output_dir: string
  persona_dir: string
  instruction_path: string
  history_ctx_len: number
  include_mod_comments?: boolean
  seed?: number
  attribute_style: AttributeStyle
}

export function registerGenerateAnnotationConfigs(program: Command): void {
  const command = new ArgparseStyleCommand('generate-annotation-configs')
    .copyInheritedSettings(program)
    .description(
      "Write one SDF annotation config (<uuid4>.json) per annotator persona, as SDF's generate_annotation_configs.py did. " +
        'Flag spellings and unambiguous prefixes as in SDF.'
    )
    .requiredOption('--output_dir <dir>', 'output directory for the generated files (created if missing)')
    .requiredOption('--persona_dir <dir>', 'directory of annotator persona JSON files (one per file, or arrays)')
    .requiredOption('--instruction_path <file>', 'annotator instructions text file')
    .option('--history_ctx_len <n>', 'how many previous comments the annotator will remember', wholeNumber, 4)
    .option(
      '--include_mod_comments',
      'annotate moderator comments and show them as context; excluding them also changes which previous comments the annotator sees'
    )
    .option('--no-include_mod_comments', 'leave moderator comments out (the default)')
    .option('--seed <n>', 'seed for the file names; the same seed writes the same files', seedNumber)
    .addOption(
      new Option('--attribute_style <style>', "how persona attributes are rendered (SDF's styles over time)")
        .choices(AttributeStyleSchema.options)
        .default('field-value-sex-word')
    )
    .action(async (flags: GenerateAnnotationConfigsFlags) => {
      const out = (line: string): boolean => process.stdout.write(`${line}\n`)
      out('Reading input files...')
      const personas = await readPersonaDir(flags.persona_dir, '--persona_dir')
      const instructions = await readVerbatim(flags.instruction_path, '--instruction_path')
      const random = SeededRandom.fromSeed(chosenSeed(flags.seed))

      out('Processing...')
      await mkdir(flags.output_dir, { recursive: true })
      for (const [index, persona] of personas.entries()) {
        // LlmAnnotationData's field order.
        const data = {
          attributes: renderSdfAttributes(persona, flags.attribute_style),
          instructions,
          include_moderator_comments: flags.include_mod_comments ?? false,
          history_ctx_len: flags.history_ctx_len
        }
        const name = `${seededUuid4(random.fork('file').fork(index).fork('file-name'))}.json`
        await writeFile(join(flags.output_dir, name), pythonJsonDump(data))
      }
      out(`Files exported to ${flags.output_dir}`)
    })
  program.addCommand(command)
}
