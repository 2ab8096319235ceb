import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { InvalidArgumentError, Option, type Command } from 'commander'
import { defaultLlamaThreads, ModelSlot, Workspace, type GpuOption } from '../../core/index.js'
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
import { packageRoot } from '../packageRoot.js'
import { workspaceOption, workspacePath } from '../workspaceOption.js'
import { gpuChoice, loadModel, positiveNumber, type LoadedModel } from './runSupport.js'

interface ServeFlags {
  workspace: string
  port: number
  host: string
  allowRemote?: boolean
  token?: string
  model?: string
  models?: string
  openai?: boolean
  threads: number
  gpu: GpuOption
  sequences: number
  contextSize: number
}

const PACKAGE_ROOT = packageRoot()

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
    .option('--model <file>', 'a GGUF model to load at start (the app can load another later; served with --openai)')
    .option('--models <dir>', 'the folder of GGUF models the app lists (default: <workspace>/models)')
    .option('--openai', 'also serve the model as an OpenAI-compatible API at /v1 (the token is the API key); needs --model')
    .option('--threads <n>', 'CPU threads for llama.cpp (also for models loaded in the app); default: all cores but one', positiveNumber, defaultLlamaThreads())
    .option('--gpu <gpu>', 'auto (the best working GPU, else CPU), cuda, vulkan or cpu', gpuChoice, 'auto' as GpuOption)
    .option('--sequences <n>', 'requests the model serves at once (one KV-cache sequence each)', positiveNumber, 4)
    .option('--context-size <tokens>', 'context per sequence (prompt + reply)', positiveNumber, 4096)
    .addHelpText(
      'after',
      '\nPrints a URL with the access token; open it in a browser. The server trades the token for a cookie\n' +
        'and every request without it is refused. It listens on 127.0.0.1 unless told otherwise; to use it from\n' +
        'another machine, prefer an SSH tunnel (ssh -L 8765:127.0.0.1:8765 server) to --allow-remote.\n\n' +
        'With --model FILE --openai it also serves the model to OpenAI clients: base URL http://127.0.0.1:PORT/v1,\n' +
        'API key the access token.\n\n' +
        'Examples:\n  sdf serve --workspace my-study --port 8765\n' +
        '  sdf serve --model models/model.gguf --openai --sequences 8 --context-size 4096'
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
      if (flags.openai && flags.model === undefined) {
        throw new CliError('--openai serves a model: add --model FILE (a GGUF file)')
      }
      const rendererDir = defaultRendererDir(PACKAGE_ROOT)
      ensureRendererBuilt(rendererDir)
      const root = workspacePath(flags.workspace)
      const workspace = await Workspace.open(root, { create: true }).catch((error: Error) => {
        throw new CliError(`cannot open workspace ${root}: ${error.message}`)
      })
      const testing = process.env[TESTING_ENV] === '1'
      const model: LoadedModel | null =
        flags.model === undefined
          ? null
          : await loadModel({
              modelPath: flags.model,
              flag: '--model',
              threads: flags.threads,
              gpu: flags.gpu,
              contextSize: flags.contextSize,
              sequences: flags.sequences
            })
      // Models loaded later through the app (Models page, the demo) use the same threads, GPU and sizes.
      const modelSlot = new ModelSlot({
        threads: flags.threads,
        gpu: flags.gpu,
        sequences: flags.sequences,
        contextSize: flags.contextSize,
        initial: model?.backend ?? null
      })
      let server: RunningServer
      try {
        server = await startServer({
          workspace,
          rendererDir,
          token,
          host: flags.host,
          port: flags.port,
          allowRemote: flags.allowRemote ?? false,
          testing,
          modelSlot,
          ...(flags.models === undefined ? {} : { modelsFolder: resolve(flags.models) }),
          ...(model ? { backend: model.backend } : {}),
          // The file name as the model id, as llama-server does: display names have spaces and punctuation.
          ...(model && flags.openai
            ? { openai: { modelId: basename(model.backend.info.modelPath).replace(/\.gguf$/i, ''), contextSize: model.backend.info.contextSize } }
            : {})
        })
      } catch (error) {
        await modelSlot.close()
        await model?.close()
        if (error instanceof ServeError) throw new CliError(error.message)
        throw error
      }
      const lines = [
        `SDF Studio is serving the workspace ${workspace.root}`,
        'Open this URL in a browser (it carries the access token; keep it private):',
        `    ${server.openUrl}`
      ]
      if (model) {
        const { info } = model.backend
        lines.push(
          `Model: ${model.backend.modelName} (${info.gpu === false ? 'CPU' : info.gpu}, ` +
            `${info.sequences} ${info.sequences === 1 ? 'sequence' : 'sequences'} × ${info.contextSize} tokens)`
        )
      }
      if (server.openAiBaseUrl !== null) {
        lines.push(
          'OpenAI-compatible API (for any OpenAI client):',
          `    base URL  ${server.openAiBaseUrl}`,
          `    API key   ${token}`,
          `    model     ${server.openAiModelId}`,
          `    e.g. curl ${server.openAiBaseUrl}/models -H "Authorization: Bearer ${token}"`
        )
      }
      if (!isLoopbackHost(flags.host)) {
        lines.push('Listening beyond this machine: traffic is plain HTTP, so the token can be seen on the network.')
      }
      if (testing) lines.push(`${TESTING_ENV}=1: test-only methods are enabled; never use this for real work.`)
      lines.push('Press Ctrl+C to stop.')
      process.stdout.write(`${lines.join('\n')}\n`)
      await waitForSignal()
      process.stderr.write('Stopping…\n')
      await server.close()
      await modelSlot.close()
      await model?.close()
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
