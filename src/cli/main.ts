import { Command, CommanderError } from 'commander'
import { APP_VERSION } from '../core/index.js'
import { registerCommands } from './commands/index.js'
import { CliError } from './cliError.js'

/** Builds the `sdf` program; exported for tests, which run commands in-process. */
export function createProgram(): Command {
  const program = new Command('sdf')
    .description('SDF Studio: synthetic discussions between LLM agents, from the command line')
    .version(APP_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
  registerCommands(program)
  return program
}

/** Runs the CLI and returns the process exit code; never throws. */
export async function main(argv: string[]): Promise<number> {
  const program = createProgram()
  try {
    await program.parseAsync(argv, { from: 'user' })
    return 0
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed help, the version, or the usage error.
      return error.exitCode
    }
    if (error instanceof CliError) {
      process.stderr.write(`sdf: error: ${error.message}\n`)
      return error.exitCode
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
    process.stderr.write(`sdf: unexpected error (please report it): ${message}\n`)
    return 70
  }
}
