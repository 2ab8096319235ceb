import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { InvalidArgumentError, Option, type Command } from 'commander'
import { Workspace } from '../../core/index.js'
import {
  ACCESS_TOKEN_PATTERN,
  createAccessToken,
  defaultRendererDir,
  isLoopbackHost,
  ServeError,
  startServer,
  TESTING_ENV,
  type RunningServer
} from '../../server/index.js'
import { CliError } from '../cliError.js'
import { workspaceOption, workspacePath } from '../workspaceOption.js'

interface ServeFlags {
  workspace: string
  port: number
  host: string
  allowRemote?: boolean
  token?: string
}

/** The package root: src/cli/commands → ../../.. */
const PACKAGE_ROOT = join(import.meta.dirname, '..', '..', '..')

export const DEFAULT_SERVE_PORT = 8765

function parsePort(value: string): number {
  const port = Number(value)
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('must be a whole number from 0 to 65535')
  return port
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve the SDF Studio UI and API to a browser, for one workspace (the headless way to use the app)')
    .addOption(workspaceOption())
    .addOption(new Option('-p, --port <port>', 'port to listen on; 0 picks a free one').default(DEFAULT_SERVE_PORT).argParser(parsePort))
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--allow-remote', 'allow listening on an address other machines can reach (the token is still required)')
    .addOption(
      new Option('--token <token>', 'access token (16+ URL-safe characters); a random one is made if not given').env(
        'SDF_SERVE_TOKEN'
      )
    )
    .addHelpText(
      'after',
      '\nPrints a URL with the access token; open it in a browser. The server trades the token for a cookie\n' +
        'and every request without it is refused. It listens on 127.0.0.1 unless told otherwise; to use it from\n' +
        'another machine, prefer an SSH tunnel (ssh -L 8765:127.0.0.1:8765 server) to --allow-remote.\n\n' +
        'Example:\n  sdf serve --workspace my-study --port 8765'
    )
    .action(async (flags: ServeFlags) => {
      const token = flags.token ?? createAccessToken()
      if (!ACCESS_TOKEN_PATTERN.test(token)) {
        throw new CliError('--token must be 16 to 256 characters from A-Z, a-z, 0-9 and . _ ~ -')
      }
      if (!isLoopbackHost(flags.host) && !flags.allowRemote) {
        throw new CliError(
          `--host ${flags.host} would let other machines reach the server; add --allow-remote if that is what you want ` +
            '(or use an SSH tunnel to 127.0.0.1)'
        )
      }
      const rendererDir = defaultRendererDir(PACKAGE_ROOT)
      ensureRendererBuilt(rendererDir)
      const root = workspacePath(flags.workspace)
      const workspace = await Workspace.open(root, { create: true }).catch((error: Error) => {
        throw new CliError(`cannot open workspace ${root}: ${error.message}`)
      })
      const testing = process.env[TESTING_ENV] === '1'
      let server: RunningServer
      try {
        server = await startServer({
          workspace,
          rendererDir,
          token,
          host: flags.host,
          port: flags.port,
          allowRemote: flags.allowRemote ?? false,
          testing
        })
      } catch (error) {
        if (error instanceof ServeError) throw new CliError(error.message)
        throw error
      }
      const lines = [
        `SDF Studio is serving the workspace ${workspace.root}`,
        'Open this URL in a browser (it carries the access token; keep it private):',
        `    ${server.openUrl}`
      ]
      if (!isLoopbackHost(flags.host)) {
        lines.push('Listening beyond this machine: traffic is plain HTTP, so the token can be seen on the network.')
      }
      if (testing) lines.push(`${TESTING_ENV}=1: test-only methods are enabled; never use this for real work.`)
      lines.push('Press Ctrl+C to stop.')
      process.stdout.write(`${lines.join('\n')}\n`)
      await waitForSignal()
      process.stderr.write('Stopping…\n')
      await server.close()
    })
}

/** Builds the UI once when it is missing (a fresh clone), since serving needs out/renderer. */
function ensureRendererBuilt(rendererDir: string): void {
  if (existsSync(join(rendererDir, 'index.html'))) return
  const electronVite = join(PACKAGE_ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  if (!existsSync(electronVite)) {
    throw new CliError(`the UI is not built (${rendererDir} is missing); run npm run build first`)
  }
  process.stderr.write('The UI is not built yet; building it once (npm run build)…\n')
  const build = spawnSync(process.execPath, [electronVite, 'build'], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'inherit', 'inherit'] })
  if (build.status !== 0 || !existsSync(join(rendererDir, 'index.html'))) {
    throw new CliError('building the UI failed (see above); run npm run build and try again')
  }
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}
