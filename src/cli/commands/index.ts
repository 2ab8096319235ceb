import type { Command } from 'commander'

/** Every command registers itself here; one module per command, named after it. */
export function registerCommands(program: Command): void {
  void program
}
