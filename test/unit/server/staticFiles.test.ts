import { symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { lookUpStaticFile } from '../../../src/server/index.js'
import { rawRequest, startTestServer, TOKEN } from './serverHarness.js'

const auth = { authorization: `Bearer ${TOKEN}` }

const TRAVERSALS = [
  '/../../etc/passwd',
  '/../secret.txt',
  '/assets/../../secret.txt',
  '/%2e%2e/secret.txt',
  '/%2E%2E/%2E%2E/etc/passwd',
  '/..%2fsecret.txt',
  '/..%2f..%2f..%2fetc%2fpasswd',
  '/assets/..%5c..%5csecret.txt',
  '/%252e%252e/secret.txt',
  '/assets/%00/../secret.txt',
  '/..',
  '/%2e',
  '/%'
]

describe('the renderer’s static files', () => {
  it('are served behind the token with their content types', async () => {
    const { server } = await startTestServer()
    const script = await rawRequest(server.port, '/assets/index-abc123.js', { headers: auth })
    expect(script.status).toBe(200)
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(script.headers['cache-control']).toContain('immutable')
    const page = await rawRequest(server.port, '/index.html', { headers: auth })
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.headers['cache-control']).toBe('no-store')
    expect((await rawRequest(server.port, '/missing.js', { headers: auth })).status).toBe(404)
    expect((await rawRequest(server.port, '/assets', { headers: auth })).status).toBe(404)
  })

  it.each(TRAVERSALS)('never serve anything outside the renderer folder: %s', async (path) => {
    const { server } = await startTestServer()
    const response = await rawRequest(server.port, path, { headers: auth })
    expect([400, 404]).toContain(response.status)
    expect(response.body).not.toContain('TOP-SECRET')
    expect(response.body).not.toContain('root:')
  })

  it('refuse a symbolic link that leads out of the renderer folder', async () => {
    const { server, base, rendererDir } = await startTestServer()
    await symlink(join(base, 'secret.txt'), join(rendererDir, 'assets', 'link.txt'))
    const response = await rawRequest(server.port, '/assets/link.txt', { headers: auth })
    expect(response.status).toBe(404)
    expect(response.body).not.toContain('TOP-SECRET')
  })

  it('are looked up by a function that refuses dot segments instead of normalising them', async () => {
    const { rendererDir } = await startTestServer()
    expect(await lookUpStaticFile(rendererDir, '/assets/../index.html')).toEqual({ kind: 'bad-path' })
    expect(await lookUpStaticFile(rendererDir, '/./index.html')).toEqual({ kind: 'bad-path' })
    expect(await lookUpStaticFile(rendererDir, '/')).toMatchObject({ kind: 'file' })
    expect(await lookUpStaticFile(rendererDir, '/%E0%A4%A')).toEqual({ kind: 'bad-path' })
  })
})
