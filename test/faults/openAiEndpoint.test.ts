import { spawn, type ChildProcess } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  BackendError,
  createOpenAiBackend,
  createRun,
  resumeRun,
  workspaceRunLocation,
  type GenerationRequest,
  type OpenAiBackendOptions
} from '../../src/core/index.js'
import { faultWorkspace } from './faultSupport.js'

// core's OpenAI-compatible backend against a real server process that drops connections, stalls,
// answers garbage, leaks the key in its errors, or is SIGKILLed mid-answer.

const KEY = 'sk-fault-test-SECRET-0123456789abcdef'
const TIMEOUT_MS = 800

interface FlakyServer {
  process: ChildProcess
  port: number
  url(mode: string): string
}

async function startFlakyServer(): Promise<FlakyServer> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'flakyOpenAiServer.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (piece: Buffer) => {
      out += piece.toString()
      const match = /listening (\d+)/.exec(out)
      if (match) resolve(Number(match[1]))
    })
    child.on('exit', (code) => reject(new Error(`the flaky server exited with ${code}`)))
  })
  return { process: child, port, url: (mode) => `http://127.0.0.1:${port}/${mode}/v1` }
}

const servers: FlakyServer[] = []
let server: FlakyServer
beforeAll(async () => {
  server = await startFlakyServer()
  servers.push(server)
})
afterAll(() => {
  for (const each of servers) each.process.kill('SIGKILL')
})

const ask: GenerationRequest = { messages: [{ role: 'user', content: 'Say something.' }], maxTokens: 16 }

function backendFor(mode: string, options: Partial<OpenAiBackendOptions> = {}, on = server) {
  return createOpenAiBackend({
    endpoints: [{ baseUrl: on.url(mode), apiKey: KEY }],
    model: 'flaky',
    timeoutMs: TIMEOUT_MS,
    retries: 2,
    retryBaseDelayMs: 10,
    coolOffMs: 10,
    ...options
  })
}

/** Runs one request; answers the error (or null), the pieces seen and how long it took. */
async function attempt(mode: string, options: Partial<OpenAiBackendOptions> = {}, on = server) {
  const backend = backendFor(mode, options, on)
  const pieces: string[] = []
  const started = performance.now()
  let error: unknown = null
  let text: string | null = null
  try {
    text = (await backend.generate(ask, { onTokens: (piece) => pieces.push(piece) })).text
  } catch (caught) {
    error = caught
  }
  await backend.dispose()
  return { error, text, pieces, ms: performance.now() - started }
}

function expectBackendError(error: unknown, codes: readonly string[]): BackendError {
  expect(error).toBeInstanceOf(BackendError)
  const backendError = error as BackendError
  expect(codes).toContain(backendError.code)
  expect(backendError.message.length).toBeGreaterThan(10)
  expect(backendError.message).not.toContain(KEY)
  return backendError
}

describe('an OpenAI-compatible endpoint that misbehaves (a real server process)', () => {
  it('answers a healthy request (the harness works)', async () => {
    const { error, text } = await attempt('ok')
    expect(error).toBeNull()
    expect(text).toBe('Hello there, all.')
  })

  // [mode, the codes allowed, whether text may have reached the caller, a bound on the time taken]
  const cases: [string, string[], string][] = [
    ['drop-before', ['network'], 'retried, then a network error'],
    ['drop-mid', ['network'], 'a network error after the pieces that came, not retried'],
    ['stall-before', ['network'], 'a timeout naming the wait'],
    ['stall-mid', ['network'], 'a timeout after the pieces that came'],
    ['garbage-json', ['server-error', 'invalid-output'], 'a server error quoting the body'],
    ['garbage-sse', ['server-error', 'invalid-output'], 'a server error quoting the line'],
    ['binary', ['server-error', 'invalid-output', 'network'], 'an error, not a crash'],
    ['html-500', ['server-error'], 'retried, then a server error']
  ]
  for (const [mode, codes, what] of cases) {
    it(`${mode}: ${what}, within a bounded time`, async () => {
      const { error, ms } = await attempt(mode)
      const failure = expectBackendError(error, codes)
      // Three tries at most, each bounded by the timeout, plus the backoff.
      expect(ms, failure.message).toBeLessThan(3 * TIMEOUT_MS + 2_000)
      console.info(`[faults] openai ${mode}: ${failure.code} in ${Math.round(ms)} ms: ${failure.message.slice(0, 160)}`)
    })
  }

  it('a server that quotes the API key in its error: the key never reaches the message', async () => {
    const { error } = await attempt('echo-key-500')
    const failure = expectBackendError(error, ['server-error'])
    expect(failure.message).toContain('[API key]')
  })

  it('the server process SIGKILLed mid-answer: a network error at once, not after the timeout; a new server serves again', async () => {
    const doomed = await startFlakyServer()
    servers.push(doomed)
    const backend = backendFor('stall-mid', { timeoutMs: 30_000 }, doomed)
    const pieces: string[] = []
    const started = performance.now()
    const pending = backend.generate(ask, { onTokens: (piece) => pieces.push(piece) }).then(
      () => null,
      (caught: unknown) => caught
    )
    while (pieces.length < 2) await new Promise((resolve) => setTimeout(resolve, 10))
    doomed.process.kill('SIGKILL')
    const failure = expectBackendError(await pending, ['network'])
    expect(performance.now() - started).toBeLessThan(10_000)
    expect(pieces.join('')).toBe('Hello there')
    await backend.dispose()
    console.info(`[faults] openai server SIGKILLed mid-answer: ${failure.code} in ${Math.round(performance.now() - started)} ms`)
    const replacement = await startFlakyServer()
    servers.push(replacement)
    expect((await attempt('ok', {}, replacement)).text).toBe('Hello there, all.')
  })

  it('a run whose endpoint drops every third answer mid-way: those discussions fail with the reason, the others finish, a resume on a healthy endpoint finishes all, and the key is in no workspace file', async () => {
    const { workspace, plans } = await faultWorkspace(2)
    const flaky = backendFor('flaky-3', { concurrency: 2 })
    const run = await createRun({ location: workspaceRunLocation(workspace, 'remote'), plans, backend: flaky, concurrency: 2, provenance: { seed: 7 } })
    const result = await run.start()
    await flaky.dispose()
    expect(result.failed.length).toBeGreaterThan(0)
    expect(result.finished.length).toBeGreaterThan(0)
    expect(result.finished.length + result.failed.length).toBe(plans.length)
    for (const failure of result.failed) {
      expect(failure.reason.length).toBeGreaterThan(10)
      expect(failure.reason).not.toContain(KEY)
    }
    const healthy = backendFor('ok')
    const resumed = await resumeRun(workspace, 'remote', healthy, { concurrency: 2 })
    const second = await resumed.start()
    await healthy.dispose()
    expect(second.finished).toHaveLength(plans.length)
    // Secrets: the API key is in no file the run wrote (journal, manifest, plans, discussions).
    for (const file of await readdir(workspace.root, { recursive: true })) {
      const path = join(workspace.root, file)
      const text = await readFile(path, 'utf8').catch(() => '')
      expect(text.includes(KEY), path).toBe(false)
      expect(text.includes('fault-test-SECRET'), path).toBe(false)
    }
    console.info(`[faults] openai run over flaky-3: ${result.failed.length} failed, ${result.finished.length} finished; all ${plans.length} after resume`)
  })
})
