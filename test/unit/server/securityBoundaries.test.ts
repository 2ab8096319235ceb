import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { createOpenAiBackend, createRun, plansForDesign, workspaceRunLocation } from '../../../src/core/index.js'
import type { HostMessage } from '../../../src/shared/index.js'
import { testDesign, testWorkspace } from '../engine/workspaceSupport.js'
import { openError, startFakeServer, streamChat } from '../llm/openai/fakeOpenAiServer.js'
import { connectClient, rawRequest, startTestServer, TOKEN, until } from './serverHarness.js'

// What docs/security.md promises about secrets and boundaries that the older server tests
// (auth, webSocket, staticFiles) do not already pin down.

/** Every file under a folder whose text contains `secret`, by path. */
async function filesContaining(root: string, secret: string): Promise<string[]> {
  const hits: string[] = []
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    if ((await readFile(path)).includes(secret)) hits.push(path)
  }
  return hits
}

async function rawSocket(port: number) {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/api`, { headers: { authorization: `Bearer ${TOKEN}` } })
  const received: HostMessage[] = []
  socket.on('message', (data) => received.push(JSON.parse(data.toString()) as HostMessage))
  await new Promise((resolve) => socket.once('open', resolve))
  return { socket, received }
}

describe('secrets and trust boundaries', () => {
  it('sdf serve never writes its access token into the workspace, whatever the page does', async () => {
    const { server, workspace } = await startTestServer()
    const client = connectClient(server)
    await client.api['settings.put']({ settings: { defaultModel: 'tiny.gguf', concurrency: 2, theme: 'dark' } })
    await client.api['personas.put']({ record: { id: 'ann', username: 'Ann' } })
    await client.api['import.files']({ files: [{ name: 'notes.txt', text: `token ${TOKEN}?` }] }).catch(() => undefined)
    client.close()
    const leaks = (await filesContaining(workspace.root, TOKEN)).filter((path) => !path.endsWith('notes.txt'))
    expect(leaks).toEqual([])
  })

  it('settings cannot carry an API key (or any unknown field) into sdf-settings.json', async () => {
    const { server, workspace } = await startTestServer()
    const { socket, received } = await rawSocket(server.port)
    const settings = { defaultModel: null, concurrency: 1, theme: 'system', apiKey: 'sk-live-should-never-be-stored', openai: { apiKey: 'sk-nested' } }
    socket.send(JSON.stringify({ type: 'call', id: 1, method: 'settings.put', input: { settings } }))
    await until(() => received.length === 1)
    socket.close()
    expect(await filesContaining(workspace.root, 'sk-live-should-never-be-stored')).toEqual([])
    expect(await filesContaining(workspace.root, 'sk-nested')).toEqual([])
  })

  it('record ids that try to leave their folder are refused as invalid input, and nothing is written outside the workspace', async () => {
    const { server, base } = await startTestServer()
    const { socket, received } = await rawSocket(server.port)
    const hostile = ['../../secret', '..\\..\\secret', '/etc/passwd', '%2e%2e%2fsecret', 'a/../../b', '.', '..', 'nul\u0000byte']
    let id = 0
    for (const bad of hostile) {
      socket.send(JSON.stringify({ type: 'call', id: ++id, method: 'personas.get', input: { id: bad } }))
      socket.send(JSON.stringify({ type: 'call', id: ++id, method: 'personas.put', input: { record: { id: bad, username: 'Eve' } } }))
      socket.send(JSON.stringify({ type: 'call', id: ++id, method: 'discussions.delete', input: { id: bad } }))
    }
    await until(() => received.length === id)
    socket.close()
    for (const message of received) {
      expect(message).toMatchObject({ type: 'result', result: { ok: false, error: { code: 'invalid-input' } } })
    }
    expect(await readFile(join(base, 'secret.txt'), 'utf8')).toBe('TOP-SECRET\n')
    expect(await filesContaining(base, 'Eve')).toEqual([])
  })

  it('another origin gets no CORS grant, not even to a preflight carrying the token', async () => {
    const { server } = await startTestServer()
    for (const method of ['OPTIONS', 'GET']) {
      const response = await rawRequest(server.port, '/', {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, origin: 'https://evil.example', 'access-control-request-method': 'GET' }
      })
      expect(response.headers['access-control-allow-origin']).toBeUndefined()
      expect(response.headers['access-control-allow-credentials']).toBeUndefined()
    }
  })

  it('a run over an OpenAI-compatible endpoint writes its API key into no workspace file, even when the server echoes it', async () => {
    const key = 'sk-unit-SECRET-abcdef0123456789'
    let calls = 0
    const fake = await startFakeServer((request, response) => {
      calls += 1
      // Every fifth answer is an error that quotes the request's Authorization header.
      if (calls % 5 === 0) return openError(response, 400, `bad request from ${String(request.headers.authorization)}`)
      streamChat(response, ['A ', 'reply.'])
    })
    const workspace = await testWorkspace()
    const { plans } = await plansForDesign(workspace, testDesign({ replicates: 1 }))
    const backend = createOpenAiBackend({ endpoints: [{ baseUrl: fake.baseUrl, apiKey: key }], model: 'remote', retries: 0 })
    const run = await createRun({ location: workspaceRunLocation(workspace, 'remote'), plans, backend, provenance: { seed: 7, parameters: { endpoint: fake.baseUrl } } })
    const result = await run.start()
    await backend.dispose()
    expect(result.failed.length).toBeGreaterThan(0) // the echoing errors reached the journal as reasons
    for (const failure of result.failed) expect(failure.reason).toContain('[API key]')
    expect(await filesContaining(workspace.root, key)).toEqual([])
    expect(await filesContaining(workspace.root, 'SECRET-abcdef')).toEqual([])
  })
})
