import { readFile } from 'node:fs/promises'
import { Option, type Command } from 'commander'
import {
  AGREEMENT_METRICS,
  AgreementError,
  MEASUREMENT_LEVELS,
  agreementCoefficient,
  distinctValues,
  pairableUnitCount,
  parseReliabilityCsv,
  reliabilityDataFromCsv,
  selectUnits,
  type AgreementMetric,
  type MeasurementLevel,
  type ReliabilityData
} from '../../core/index.js'
import { CliError } from '../cliError.js'

interface AgreementFlags {
  level: MeasurementLevel
  metric: AgreementMetric
  json?: boolean
  missing?: string[]
}

const METRIC_NAMES: Record<AgreementMetric, string> = {
  alpha: "Krippendorff's alpha",
  fleiss: "Fleiss' kappa",
  ac1: "Gwet's AC1",
  cohen: "Cohen's kappa",
  percent: 'Percent agreement'
}

export function registerAgreement(program: Command): void {
  program
    .command('agreement')
    .description('Inter-annotator agreement of a CSV of ratings: Krippendorff\'s alpha, Fleiss\' kappa or Gwet\'s AC1.')
    .argument('<file>', 'CSV file: one row per unit, one column per annotator')
    .addOption(
      new Option('-l, --level <level>', 'level of measurement of the values').choices(MEASUREMENT_LEVELS).default('nominal')
    )
    .addOption(new Option('-m, --metric <metric>', 'agreement coefficient').choices(AGREEMENT_METRICS).default('alpha'))
    .addOption(
      new Option('--missing <text>', 'a cell text that means "no value" besides the empty cell, e.g. NA (repeatable)')
        .argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    )
    .option('--json', 'print one JSON object: {"metric","level","value","units","annotators"}')
    .addHelpText(
      'after',
      '\nThe CSV: the first row names the annotators, each further row is one unit (e.g. one comment).\n' +
        'If the first header cell is "unit" or "id" (any case), that column holds unit ids, not ratings.\n' +
        'An empty cell is a missing value. Quoted fields may hold commas and line breaks. For ordinal,\n' +
        'interval and ratio levels every value must be a number; nominal values may be any text.\n\n' +
        'Metrics: alpha (any level); fleiss (nominal only); ac1 (Gwet\'s AC1; at ordinal, interval or\n' +
        'ratio level Gwet\'s AC2 with ordinal, quadratic or ratio weights); cohen (exactly 2 annotators,\n' +
        'weighted like ac1 above nominal); percent (pairwise percent agreement).\n' +
        'Units rated by fewer than two annotators cannot be compared and are left out of the coefficient;\n' +
        '"units" in the output still counts every row.\n\n' +
        'Example:\n  sdf agreement ratings.csv --level interval --json\n'
    )
    .action(async (file: string, flags: AgreementFlags) => {
      const text = await readText(file)
      try {
        const coefficient = agreementCoefficient(flags.metric, flags.level)
        const csv = parseReliabilityCsv(text, { missing: flags.missing ?? [] })
        const data = reliabilityDataFromCsv(csv, { numeric: flags.level !== 'nominal' })
        const value = coefficient(data)
        if (!Number.isFinite(value)) throw new AgreementError(whyUndefined(data, flags))
        // Key order is part of the contract: {"metric","level","value","units","annotators"}.
        const result = {
          metric: flags.metric,
          level: flags.level,
          value,
          units: data.units.length,
          annotators: data.annotators.length
        }
        process.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : describe(result, data))
      } catch (error) {
        if (error instanceof AgreementError) throw new CliError(`${file}: ${error.message}`)
        throw error
      }
    })
}

async function readText(file: string): Promise<string> {
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new CliError(`${file}: no such file`)
    if (code === 'EISDIR') throw new CliError(`${file}: is a folder, not a CSV file`)
    throw new CliError(`${file}: cannot read: ${(error as Error).message}`)
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new CliError(`${file}: this is not a CSV text file (not UTF-8 text)`)
  }
}

/** The coefficient is 0/0 for one of two reasons; say which, since the fix differs. */
function whyUndefined(data: ReliabilityData, flags: AgreementFlags): string {
  const name = METRIC_NAMES[flags.metric]
  const pairable = data.values.flatMap((row, unit) => (row.filter((value) => value !== null).length >= 2 ? [unit] : []))
  if (pairable.length === 0) {
    return `${name} is undefined: no unit has values from two or more annotators, so there is nothing to compare`
  }
  const values = distinctValues(selectUnits(data, pairable))
  if (values.length <= 1) {
    return `${name} is undefined: every value is ${JSON.stringify(values[0] ?? null)}, so agreement cannot be told from chance`
  }
  return `${name} is undefined for these data (expected agreement is total)`
}

function describe(
  result: { metric: AgreementMetric; level: MeasurementLevel; value: number; units: number; annotators: number },
  data: ReliabilityData
): string {
  const name = result.metric === 'ac1' && result.level !== 'nominal' ? "Gwet's AC2" : METRIC_NAMES[result.metric]
  return (
    `${name} (${result.level}): ${result.value.toFixed(4)}\n` +
    `  ${result.units} units (${pairableUnitCount(data)} rated by two or more), ${result.annotators} annotators\n`
  )
}
