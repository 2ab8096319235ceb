import { describe, expect, it } from 'vitest'
import { createAccessToken, startServer, tokenCookieName, tokensMatch } from '../../../src/server/index.js'
import { CONTENT_SECURITY_POLICY_HEADER } from '../../../src/shared/index.js'
import { INDEX_HTML, rawRequest, startTestServer, TOKEN } from './serverHarness.js'

describe('the web host’s access token', () => {
  it('is 32 random bytes in hex, different each time', () => {
    const token = createAccessToken()
    expect(token).toMatch(/^[0-9a-f]{64}$/)
    expect(createAccessToken()).not.toBe(token)
  })

  it('is compared whatever the lengths, without throwing', () => {
    expect(tokensMatch(TOKEN, TOKEN)).toBe(true)
    expect(tokensMatch(TOKEN, `${TOKEN}x`)).toBe(false)
    expect(tokensMatch(TOKEN, TOKEN.slice(0, -1))).toBe(false)
    expect(tokensMatch(TOKEN, '')).toBe(false)
    expect(tokensMatch(TOKEN, undefined)).toBe(false)
  })

  it('is required for every request: without it there is a 401 and no data', async () => {
    const { server } = await startTestServer()
    for (const path of ['/', '/index.html', '/assets/index-abc123.js', '/api', '/nothing']) {
      const response = await rawRequest(server.port, path)
      expect(response.status, path).toBe(401)
      expect(response.body).not.toContain('SDF Studio</title>')
      expect(response.body).not.toContain('console.log')
      expect(response.body).toMatch(/needs its access token/)
    }
  })

  it('refuses a wrong token wherever it is put', async () => {
    const { server } = await startTestServer()
    const wrong = 'wrong-token-0123456789abcdef'
    expect((await rawRequest(server.port, `/?token=${wrong}`)).status).toBe(401)
    expect((await rawRequest(server.port, '/', { headers: { authorization: `Bearer ${wrong}` } })).status).toBe(401)
    expect((await rawRequest(server.port, '/', { headers: { cookie: `${tokenCookieName(server.port)}=${wrong}` } })).status).toBe(401)
    // A valid token under another server's cookie name does not count either.
    expect((await rawRequest(server.port, '/', { headers: { cookie: `${tokenCookieName(server.port + 1)}=${TOKEN}` } })).status).toBe(401)
  })

  it('trades a token in the URL for an HttpOnly, SameSite=Strict cookie and takes it out of the URL', async () => {
    const { server } = await startTestServer()
    expect(server.openUrl).toBe(`http://127.0.0.1:${server.port}/?token=${TOKEN}`)
    const response = await rawRequest(server.port, `/?token=${TOKEN}&view=runs`)
    expect(response.status).toBe(302)
    expect(response.headers.location).toBe('/?view=runs')
    const cookie = response.headers['set-cookie']?.[0] ?? ''
    expect(cookie.split('; ')).toEqual([`${tokenCookieName(server.port)}=${TOKEN}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'])
    expect(response.body).toBe('')
  })

  it('serves the page with the token in the cookie or in an Authorization header', async () => {
    const { server } = await startTestServer()
    const byCookie = await rawRequest(server.port, '/', { headers: { cookie: `other=1; ${tokenCookieName(server.port)}=${TOKEN}` } })
    expect(byCookie.status).toBe(200)
    expect(byCookie.body).toBe(INDEX_HTML)
    const byHeader = await rawRequest(server.port, '/', { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(byHeader.status).toBe(200)
  })

  it('sends the security headers on every answer, refusals included', async () => {
    const { server } = await startTestServer()
    for (const response of [
      await rawRequest(server.port, '/'),
      await rawRequest(server.port, '/', { headers: { authorization: `Bearer ${TOKEN}` } })
    ]) {
      expect(response.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY_HEADER)
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'")
      expect(response.headers['x-content-type-options']).toBe('nosniff')
      expect(response.headers['referrer-policy']).toBe('no-referrer')
      expect(response.headers['x-frame-options']).toBe('DENY')
    }
  })

  it('answers only to loopback host names, so a DNS-rebinding page cannot use it', async () => {
    const { server } = await startTestServer()
    const rebound = await rawRequest(server.port, '/', { headers: { host: `evil.example:${server.port}`, authorization: `Bearer ${TOKEN}` } })
    expect(rebound.status).toBe(421)
    const localhost = await rawRequest(server.port, '/', { headers: { host: `localhost:${server.port}`, authorization: `Bearer ${TOKEN}` } })
    expect(localhost.status).toBe(200)
  })

  it('serves the API only over WebSocket, and files only to GET and HEAD', async () => {
    const { server } = await startTestServer()
    const auth = { authorization: `Bearer ${TOKEN}` }
    expect((await rawRequest(server.port, '/api', { headers: auth })).status).toBe(426)
    expect((await rawRequest(server.port, '/', { method: 'POST', headers: auth })).status).toBe(405)
    const head = await rawRequest(server.port, '/', { method: 'HEAD', headers: auth })
    expect(head.status).toBe(200)
    expect(head.body).toBe('')
  })

  it('refuses to listen beyond loopback unless allowed, and still wants the token when allowed', async () => {
    const { workspace, rendererDir } = await startTestServer()
    await expect(startServer({ workspace, rendererDir, token: TOKEN, host: '0.0.0.0', port: 0 })).rejects.toThrow(/--allow-remote/)
    const remote = await startServer({ workspace, rendererDir, token: TOKEN, host: '0.0.0.0', port: 0, allowRemote: true })
    try {
      expect((await rawRequest(remote.port, '/')).status).toBe(401)
      expect((await rawRequest(remote.port, '/', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200)
    } finally {
      await remote.close()
    }
  })

  it('says clearly when the port is taken', async () => {
    const { server, workspace, rendererDir } = await startTestServer()
    await expect(startServer({ workspace, rendererDir, token: TOKEN, port: server.port })).rejects.toThrow(
      new RegExp(`port ${server.port} on 127.0.0.1 is already in use`)
    )
  })
})
