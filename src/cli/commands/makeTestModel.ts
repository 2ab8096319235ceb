import { Option, type Command } from 'commander'
import {
  DEFAULT_TEST_MODEL_SEED,
  TEST_MODEL_QUANTS,
  TEST_MODEL_SHAPES,
  TEST_MODEL_SHAPE_NAMES,
  TestModelOutputError,
  isTestModelQuant,
  isTestModelShapeName,
  makeTestModel,
  planTestModel,
  type TestModelQuant,
  type TestModelShapeName
} from '../../core/index.js'
import { CliError } from '../cliError.js'

interface MakeTestModelFlags {
  out: string
  shape: string
  quant?: string
  seed: string
}

/** Below this, progress flickers past too fast to be worth drawing. */
const PROGRESS_MIN_BYTES = 64 * 1024 * 1024

export function registerMakeTestModel(program: Command): void {
  program
    .command('make-test-model')
    .description(
      'Write a GGUF model with random weights for tests and benchmarks. It loads and runs like a real ' +
        'Llama of the chosen shape (same size, memory and speed) but its output is gibberish.'
    )
    .requiredOption('-o, --out <file>', 'GGUF file to write (parent folders are created)')
    .addOption(
      new Option('--shape <shape>', `model shape: ${TEST_MODEL_SHAPE_NAMES.join(', ')}`).default('tiny', 'tiny')
    )
    .option(
      '--quant <quant>',
      `weight type: ${TEST_MODEL_QUANTS.join(', ')} (default: q4_0 for llama-8b, q8_0 otherwise)`
    )
    .addOption(
      new Option('--seed <n>', 'random seed; the same seed writes the same file').default(
        String(DEFAULT_TEST_MODEL_SEED),
        String(DEFAULT_TEST_MODEL_SEED)
      )
    )
    // A function, so the sizes (which need each vocabulary built) are only computed for --help.
    .addHelpText(
      'after',
      () =>
        '\nShapes:\n' +
        TEST_MODEL_SHAPE_NAMES.map(
          (name) => `  ${name.padEnd(9)} ${TEST_MODEL_SHAPES[name].description}, about ${formatBytes(planSize(name))}`
        ).join('\n') +
        '\n\nNo real weights are involved: use these files to test loading, chat templates, grammars and\n' +
        'throughput, never to judge output quality. An existing file is only replaced if it is a GGUF model.\n\n' +
        'Example:\n  sdf make-test-model --shape llama-1b --out models/test-1b.gguf'
    )
    .action(async (flags: MakeTestModelFlags) => {
      const shape = parseShape(flags.shape)
      const quant = flags.quant === undefined ? undefined : parseQuant(flags.quant)
      const seed = parseSeed(flags.seed)
      const plan = planTestModel({ shape, quant, seed })
      const progress = plan.bytes >= PROGRESS_MIN_BYTES && process.stderr.isTTY ? progressLine(plan) : undefined

      // Ctrl+C aborts cleanly so the half-written temp file is removed rather than left behind.
      const interrupt = new AbortController()
      const onSigint = (): void => interrupt.abort()
      process.once('SIGINT', onSigint)
      try {
        const result = await makeTestModel({
          out: flags.out,
          shape,
          quant,
          seed,
          signal: interrupt.signal,
          ...(progress ? { onProgress: progress.update } : {})
        })
        progress?.done()
        process.stdout.write(
          `${result.path}  ${formatBytes(result.bytes)}  ${result.shape} ${result.quant} seed ${result.seed}, ` +
            `${formatCount(result.parameters)} parameters (random weights)\n`
        )
      } catch (error) {
        progress?.done()
        if (interrupt.signal.aborted) throw new CliError('interrupted; nothing was written', 130)
        if (error instanceof TestModelOutputError) throw new CliError(error.message)
        throw error
      } finally {
        process.off('SIGINT', onSigint)
      }
    })
}

function parseShape(value: string): TestModelShapeName {
  if (isTestModelShapeName(value)) return value
  throw new CliError(`--shape must be one of ${TEST_MODEL_SHAPE_NAMES.join(', ')} (got "${value}")`)
}

function parseQuant(value: string): TestModelQuant {
  const lower = value.toLowerCase()
  if (isTestModelQuant(lower)) return lower
  throw new CliError(`--quant must be one of ${TEST_MODEL_QUANTS.join(', ')} (got "${value}")`)
}

function parseSeed(value: string): number {
  const seed = /^\d+$/.test(value) ? Number(value) : NaN
  if (!Number.isSafeInteger(seed) || seed > 0xffffffff) {
    throw new CliError(`--seed must be an integer from 0 to ${0xffffffff} (got "${value}")`)
  }
  return seed
}

function planSize(shape: TestModelShapeName): number {
  return planTestModel({ shape }).bytes
}

/** One self-overwriting stderr line, redrawn only when the whole percentage changes. */
function progressLine(plan: { shape: string; quant: string }): {
  update: (written: number, total: number) => void
  done: () => void
} {
  let shown = -1
  return {
    update(written, total) {
      const percent = Math.floor((written / total) * 100)
      if (percent === shown) return
      shown = percent
      process.stderr.write(
        `\rwriting ${plan.shape} ${plan.quant}: ${String(percent).padStart(3)}% of ${formatBytes(total)}`
      )
    },
    done() {
      if (shown >= 0) process.stderr.write('\n')
      shown = -1
    }
  }
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB']
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`
}

function formatCount(count: number): string {
  if (count >= 1e9) return `${(count / 1e9).toFixed(2)}B`
  if (count >= 1e6) return `${(count / 1e6).toFixed(1)}M`
  return `${(count / 1e3).toFixed(0)}K`
}
