/** An error meant for the person at the terminal: printed without a stack trace. */
export class CliError extends Error {
  override readonly name = 'CliError'
  constructor(
    message: string,
    readonly exitCode = 1
  ) {
    super(message)
  }
}
