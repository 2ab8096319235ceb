// Runs `bin/sdf serve` as a user would, in its own process, on a port that survives restarts.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocket } from 'ws'

export const REPO_ROOT = join(import.meta.dirname, '..')
export const ARTIFACTS = join(REPO_ROOT, 'e2e', 'artifacts')
export const E2E_TOKEN = 'e2e-token-0123456789abcdef0123456789abcdef'

export interface ServeProcess {
  readonly origin: string
  readonly openUrl: string
  readonly port: number
  readonly workspace: string
  /** Stops the server (SIGINT, as Ctrl+C) and waits for it to exit. */
  stop(): Promise<void>
  /** Starts it again on the same port, token and workspace. */
  restart(): Promise<void>
  /** Calls a method over a WebSocket of its own (Bearer token), e.g. the testing methods. */
  call(method: string, input?: unknown): Promise<unknown>
  dispose(): Promise<void>
}

export function runSdf(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'sdf'), ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`sdf ${args.join(' ')} exited ${code}: ${stderr}`))))
  })
}

function launch(args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'sdf'), 'serve', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sdf serve printed no URL in time:\n${output}`)), 60_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const url = /(http:\/\/\S+\?token=\S+)/.exec(output)?.[1]
      if (url !== undefined) {
        clearTimeout(timer)
        resolve({ child, url })
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`sdf serve exited with ${code}:\n${output}`))
    })
  })
}

/** A server on a free port with a fresh workspace (filled by `prepare` before it starts). */
export async function startServe(
  options: { testing?: boolean; prepare?: (workspace: string) => Promise<void>; /** More `sdf serve` options, e.g. `--model`. */ args?: (workspace: string) => string[] } = {}
): Promise<ServeProcess> {
  const base = await mkdtemp(join(tmpdir(), 'sdf-e2e-'))
  const workspace = join(base, 'workspace')
  await options.prepare?.(workspace)
  const env = options.testing ? { SDF_SERVE_TESTING: '1' } : {}
  const extra = options.args?.(workspace) ?? []
  let current = await launch(['--workspace', workspace, '--port', '0', '--token', E2E_TOKEN, ...extra], env)
  const port = Number(new URL(current.url).port)
  const origin = `http://127.0.0.1:${port}`

  async function stop(): Promise<void> {
    const { child } = current
    if (child.exitCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGINT')
    await exited
  }

  return {
    origin,
    openUrl: current.url,
    port,
    workspace,
    stop,
    async restart() {
      await stop()
      current = await launch(['--workspace', workspace, '--port', String(port), '--token', E2E_TOKEN, ...extra], env)
    },
    call(method, input = {}) {
      return callServeApi(port, E2E_TOKEN, method, input)
    },
    async dispose() {
      await stop()
      await rm(base, { recursive: true, force: true })
    }
  }
}

/** One contract call over a fresh authenticated WebSocket; rejects with the typed error. */
export function callServeApi(port: number, token: string, method: string, input: unknown = {}): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api`, { headers: { authorization: `Bearer ${token}` } })
    socket.on('open', () => socket.send(JSON.stringify({ type: 'call', id: 1, method, input })))
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type: string; result?: { ok: boolean; value?: unknown; error?: unknown } }
      if (message.type !== 'result') return
      socket.close()
      if (message.result?.ok) resolve(message.result.value)
      else reject(new Error(`${method} failed: ${JSON.stringify(message.result?.error)}`))
    })
    socket.on('error', reject)
  })
}
