import { Command, InvalidArgumentError, type ParseOptionsResult } from 'commander'
import { CliError } from '../cliError.js'

/**
 * The SDF-parity commands accept what Python's argparse accepted: any unambiguous prefix of a long
 * option (`--output` for `--output_dir`, `--no-inc` for `--no-include_mod`), also in `--opt=value`
 * form. Commander only knows exact names, so arguments are expanded before it parses them.
 */
export function expandArgparsePrefixes(args: readonly string[], command: Command): string[] {
  const options = command.options.filter((option) => option.long !== undefined)
  const known = [...options.map((option) => option.long as string), '--help']
  const takesValue = new Set(options.filter((option) => option.required || option.optional).map((option) => option.long as string))
  const out: string[] = []
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string
    if (arg === '--') {
      out.push(...args.slice(i))
      break
    }
    if (!arg.startsWith('--') || arg.length === 2) {
      out.push(arg)
      continue
    }
    const equals = arg.indexOf('=')
    const name = equals < 0 ? arg : arg.slice(0, equals)
    const full = resolveOption(name, known)
    out.push(equals < 0 ? full : `${full}${arg.slice(equals)}`)
    // The next argument is this option's value, never an option to expand.
    if (equals < 0 && takesValue.has(full) && i + 1 < args.length) out.push(args[++i] as string)
  }
  return out
}

function resolveOption(name: string, known: readonly string[]): string {
  if (known.includes(name)) return name
  const matches = known.filter((option) => option.startsWith(name))
  if (matches.length === 1) return matches[0] as string
  // argparse's own wording.
  if (matches.length > 1) throw new CliError(`ambiguous option: ${name} could match ${matches.join(', ')}`)
  // Unknown: commander reports it with its own message.
  return name
}

/** A subcommand that parses like argparse (see `expandArgparsePrefixes`). */
export class ArgparseStyleCommand extends Command {
  override parseOptions(args: string[]): ParseOptionsResult {
    return super.parseOptions(expandArgparsePrefixes(args, this))
  }
}

/** argparse's `type=int`. */
export function wholeNumber(value: string): number {
  if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError('expected a whole number')
  return Number.parseInt(value, 10)
}

export function seedNumber(value: string): number {
  const seed = wholeNumber(value)
  if (seed < 0 || !Number.isSafeInteger(seed)) throw new InvalidArgumentError('expected a whole number from 0 to 2^53 - 1')
  return seed
}
