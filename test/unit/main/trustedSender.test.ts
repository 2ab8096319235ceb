import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../../../src/main/contentSecurityPolicy.js'
import { isExternalLink, isTrustedSender } from '../../../src/main/trustedSender.js'

const fileRenderer = 'file:///opt/SDF%20Studio/out/renderer/index.html'
const devRenderer = 'http://localhost:5173/'

describe('isTrustedSender', () => {
  it('trusts the main frame of our own renderer page', () => {
    expect(isTrustedSender({ url: fileRenderer, parent: null }, fileRenderer)).toBe(true)
    expect(isTrustedSender({ url: `${fileRenderer}#/runs`, parent: null }, fileRenderer)).toBe(true)
    expect(isTrustedSender({ url: 'http://localhost:5173/settings', parent: null }, devRenderer)).toBe(true)
  })

  it('refuses subframes, vanished frames and other pages', () => {
    expect(isTrustedSender({ url: fileRenderer, parent: {} }, fileRenderer)).toBe(false)
    expect(isTrustedSender(null, fileRenderer)).toBe(false)
    expect(isTrustedSender({ url: 'file:///tmp/evil.html', parent: null }, fileRenderer)).toBe(false)
    expect(isTrustedSender({ url: 'https://example.com/', parent: null }, fileRenderer)).toBe(false)
    expect(isTrustedSender({ url: 'http://localhost:5174/', parent: null }, devRenderer)).toBe(false)
    expect(isTrustedSender({ url: 'not a url', parent: null }, devRenderer)).toBe(false)
  })
})

describe('isExternalLink', () => {
  it('lets only https links go to the OS browser', () => {
    expect(isExternalLink('https://github.com/')).toBe(true)
    expect(isExternalLink('http://example.com/')).toBe(false)
    expect(isExternalLink('file:///etc/passwd')).toBe(false)
    expect(isExternalLink('javascript:alert(1)')).toBe(false)
  })
})

describe('the Content-Security-Policy', () => {
  it('is the same in the response header and in the renderer meta tag', () => {
    const html = readFileSync(new URL('../../../src/renderer/index.html', import.meta.url), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY)
  })
})
