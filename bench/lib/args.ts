/** `--name value` and `--flag` arguments; enough for the benchmarks, no dependency. */
export function parseArgs(argv: readonly string[]): Map<string, string> {
  const args = new Map<string, string>()
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`)
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined]
    const next = argv[index + 1]
    if (inline !== undefined) args.set(name, inline)
    else if (next !== undefined && !next.startsWith('--')) args.set(name, argv[++index]!)
    else args.set(name, 'true')
  }
  return args
}

export function numberList(value: string): number[] {
  return value.split(',').map((part) => {
    const number = Number(part)
    if (!Number.isInteger(number) || number <= 0) throw new Error(`not a positive integer: ${part}`)
    return number
  })
}
