import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../helpers/fixtures.js'
import { runSdf } from '../../helpers/runCli.js'
import { tempDir } from '../../helpers/tempDir.js'

const TOKEN = 'cli-token-0123456789abcdef'

/** Starts `bin/sdf serve` and resolves once it printed its URL; `stop()` sends SIGINT and resolves with the exit code. */
function serve(args: string[]): Promise<{ url: string; output: () => string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'sdf'), 'serve', ...args], { cwd: REPO_ROOT, env: { ...process.env } })
  let output = ''
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sdf serve printed no URL:\n${output}`)), 20_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const url = /(http:\/\/\S+\?token=\S+)/.exec(output)?.[1]
      if (url !== undefined) {
        clearTimeout(timer)
        resolve({
          url,
          output: () => output,
          stop: () => {
            child.kill('SIGINT')
            return exited
          }
        })
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    void exited.then((code) => reject(new Error(`sdf serve exited with ${code}:\n${output}`)))
  })
}

describe('sdf serve', () => {
  it('prints a ready-to-open URL with the token, serves the UI behind it, and stops cleanly on Ctrl+C', async () => {
    const workspace = join(await tempDir(), 'new-study')
    const server = await serve(['--workspace', workspace, '--port', '0', '--token', TOKEN])
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/\\?token=${TOKEN}$`))
    expect(server.output()).toContain(`serving the workspace ${workspace}`)
    const origin = new URL(server.url).origin
    expect((await fetch(origin)).status).toBe(401)
    const redirect = await fetch(server.url, { redirect: 'manual' })
    expect(redirect.status).toBe(302)
    const cookie = (redirect.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const page = await fetch(`${origin}${redirect.headers.get('location')}`, { headers: { cookie } })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<div id="root">')
    expect(await server.stop()).toBe(0)
  })

  it('makes a random 64-hex-digit token when none is given', async () => {
    const server = await serve(['--workspace', join(await tempDir(), 'ws'), '--port', '0'])
    expect(server.url).toMatch(/\?token=[0-9a-f]{64}$/)
    await server.stop()
  })

  it('refuses to listen beyond this machine without --allow-remote', async () => {
    const run = await runSdf(['serve', '--workspace', join(await tempDir(), 'ws'), '--host', '0.0.0.0', '--port', '0'])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/--host 0\.0\.0\.0 would let other machines reach the server; add --allow-remote/)
  })

  it('refuses a token too short to protect anything', async () => {
    const run = await runSdf(['serve', '--workspace', join(await tempDir(), 'ws'), '--token', 'short'])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/--token must be 16 to 256 characters/)
  })

  it('says which port is taken and what to do', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as { port: number }).port
    try {
      const run = await runSdf(['serve', '--workspace', join(await tempDir(), 'ws'), '--port', String(port), '--token', TOKEN])
      expect(run.code).toBe(1)
      expect(run.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`)
      expect(run.stderr).toContain('--port 0')
    } finally {
      blocker.close()
    }
  })
})
