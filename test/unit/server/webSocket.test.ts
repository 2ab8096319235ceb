import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { tokenCookieName } from '../../../src/server/index.js'
import { ApiError, StreamReader, type ConnectionStatus, type HostMessage, type WorkspaceChanged } from '../../../src/shared/index.js'
import { connectClient, startTestServer, tryUpgrade, until, TOKEN } from './serverHarness.js'

/** A bare socket speaking the wire protocol, to send what no client would. */
async function rawSocket(port: number) {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/api`, { headers: { authorization: `Bearer ${TOKEN}` } })
  const received: HostMessage[] = []
  socket.on('message', (data) => received.push(JSON.parse(data.toString()) as HostMessage))
  await new Promise((resolve) => socket.once('open', resolve))
  return { socket, received }
}

describe('the WebSocket API', () => {
  it('refuses an upgrade without a valid token', async () => {
    const { server } = await startTestServer()
    expect(await tryUpgrade(server.port, '/api', {})).toBe(401)
    expect(await tryUpgrade(server.port, '/api', { authorization: 'Bearer nope-nope-nope-nope' })).toBe(401)
  })

  it('refuses an upgrade from another origin even with the cookie (cross-site WebSocket hijacking)', async () => {
    const { server } = await startTestServer()
    const cookie = `${tokenCookieName(server.port)}=${TOKEN}`
    expect(await tryUpgrade(server.port, '/api', { cookie, origin: 'https://evil.example' })).toBe(403)
    expect(await tryUpgrade(server.port, '/api', { cookie, origin: `http://127.0.0.1:${server.port + 1}` })).toBe(403)
    expect(await tryUpgrade(server.port, '/api', { cookie, origin: 'null' })).toBe(403)
  })

  it('accepts its own page (same origin, cookie), and clients that send no origin but the token', async () => {
    const { server } = await startTestServer()
    const cookie = `${tokenCookieName(server.port)}=${TOKEN}`
    expect(await tryUpgrade(server.port, '/api', { cookie, origin: server.origin })).toBe(101)
    expect(await tryUpgrade(server.port, '/api', { authorization: `Bearer ${TOKEN}` })).toBe(101)
    expect(await tryUpgrade(server.port, `/api?token=${TOKEN}`, {})).toBe(101)
    expect(await tryUpgrade(server.port, '/elsewhere', { authorization: `Bearer ${TOKEN}` })).toBe(404)
  })

  it('serves the contract: the web host’s info and the summary of its one workspace', async () => {
    const { server, workspace } = await startTestServer()
    const client = connectClient(server)
    await expect(client.api['app.info']({})).resolves.toMatchObject({ host: 'web', workspacePath: workspace.root })
    await expect(client.api['workspace.summary']({})).resolves.toEqual({
      path: workspace.root,
      counts: { personas: 0, topics: 0, instructions: 0, discussions: 0, annotations: 0 }
    })
    client.close()
  })

  it('never lets a browser choose a path on the server', async () => {
    const { server } = await startTestServer()
    const client = connectClient(server)
    await expect(client.api['workspace.open']({})).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/--workspace/) })
    await expect(client.api['models.chooseFolder']({})).rejects.toMatchObject({ code: 'forbidden' })
    client.close()
  })

  it('checks payloads on arrival and answers with typed errors', async () => {
    const { server } = await startTestServer()
    const { socket, received } = await rawSocket(server.port)
    socket.send(JSON.stringify({ type: 'call', id: 1, method: 'personas.put', input: { record: { id: 'x', username: '' } } }))
    socket.send(JSON.stringify({ type: 'call', id: 2, method: 'personas.get', input: { id: 5 } }))
    socket.send(JSON.stringify({ type: 'call', id: 3, method: 'fs.readFile', input: {} }))
    socket.send('{ not json')
    socket.send(JSON.stringify({ type: 'call', id: -1, method: 'app.info' }))
    socket.send(Buffer.from([1, 2, 3]))
    await until(() => received.length === 6)
    const byId = (id: number) => received.find((m) => m.type === 'result' && m.id === id)
    expect(byId(1)).toMatchObject({
      result: { ok: false, error: { code: 'invalid-input', message: 'This persona is not valid: field username: must be a non-empty name' } }
    })
    expect(byId(2)).toMatchObject({ result: { ok: false, error: { code: 'invalid-input', details: { issues: [expect.objectContaining({ path: ['id'] })] } } } })
    expect(byId(3)).toMatchObject({ result: { ok: false, error: { code: 'unknown-method' } } })
    expect(received.filter((m) => m.type === 'protocol-error')).toHaveLength(3)
    socket.close()
  })

  it('rejects in the client with an ApiError carrying the host’s code and details', async () => {
    const { server } = await startTestServer()
    const client = connectClient(server)
    const error = await client.api['topics.put']({ record: { id: 'a' } }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/^This topic is not valid: field title/) })
    client.close()
  })

  it('keeps the testing methods out unless the server was started for tests', async () => {
    const { server } = await startTestServer()
    const { socket, received } = await rawSocket(server.port)
    socket.send(JSON.stringify({ type: 'call', id: 1, method: 'testing.usage', input: {} }))
    await until(() => received.length === 1)
    expect(received[0]).toMatchObject({ result: { ok: false, error: { code: 'unknown-method' } } })
    socket.close()
  })

  it('tells every subscriber when records change', async () => {
    const { server } = await startTestServer()
    const writer = connectClient(server)
    const watcher = connectClient(server)
    const changes: WorkspaceChanged[] = []
    let live = false
    watcher.subscribe('workspace.changed', { onEvent: (event) => changes.push(event), onLive: () => (live = true) })
    await until(() => live)
    await writer.api['personas.put']({ record: { id: 'ada', username: 'Ada' } })
    await until(() => changes.length === 1)
    expect(changes).toEqual([{ kinds: ['persona'] }])
    await expect(watcher.api['personas.list']({})).resolves.toMatchObject({ items: [{ id: 'ada' }] })
    writer.close()
    watcher.close()
  })

  it('streams tokens of many streams in order, each exactly once', async () => {
    const { server } = await startTestServer()
    const client = connectClient(server)
    const reader = new StreamReader()
    let live = false
    client.subscribe('stream.tokens', { cursor: () => reader.cursor(), onEvent: ({ batches }) => reader.apply(batches), onLive: () => (live = true) })
    await until(() => live)
    const expected = new Map<string, string>()
    const counts = new Map<string, number>()
    for (let i = 0; i < 3000; i++) {
      const stream = `s${i % 7}`
      server.streams.append(stream, `${i},`)
      expected.set(stream, (expected.get(stream) ?? '') + `${i},`)
      counts.set(stream, (counts.get(stream) ?? 0) + 1)
      if (i % 500 === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    }
    for (const stream of expected.keys()) server.streams.end(stream)
    await until(() => [...expected.keys()].every((stream) => reader.get(stream)?.done === true))
    for (const [stream, text] of expected) {
      expect(reader.get(stream)).toEqual({ text, next: counts.get(stream), done: true, missing: 0 })
    }
    client.close()
  })

  it('reconnects after the link drops and catches up: nothing lost, nothing twice', async () => {
    const { server } = await startTestServer()
    const client = connectClient(server)
    const reader = new StreamReader()
    const states: ConnectionStatus['state'][] = []
    client.onStatus((status) => states.push(status.state))
    let lives = 0
    let duplicates = 0
    client.subscribe('stream.tokens', {
      cursor: () => reader.cursor(),
      onEvent: ({ batches }) => {
        for (const batch of batches) {
          if (batch.from < (reader.get(batch.stream)?.next ?? 0)) duplicates += 1
        }
        reader.apply(batches)
      },
      onLive: () => (lives += 1)
    })
    await until(() => lives === 1)
    let expected = ''
    for (let i = 0; i < 400; i++) {
      server.streams.append('story', `t${i} `)
      expected += `t${i} `
      if (i === 150 || i === 300) expect(server.dropConnections()).toBe(1)
      if (i % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 8))
    }
    server.streams.end('story')
    await until(() => reader.get('story')?.done === true)
    expect(reader.get('story')).toEqual({ text: expected, next: 400, done: true, missing: 0 })
    expect(duplicates).toBe(0)
    expect(lives).toBe(3)
    expect(states.filter((state) => state === 'reconnecting')).toHaveLength(2)
    expect(states.at(-1)).toBe('open')
    // Calls work again on the new link.
    await expect(client.api['app.info']({})).resolves.toMatchObject({ host: 'web' })
    client.close()
  })
})
