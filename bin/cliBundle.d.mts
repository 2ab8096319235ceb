/** The URL of the bundled CLI module, building it first if the sources changed; undefined if it cannot be had. */
export function bundledCli(): Promise<string | undefined>
