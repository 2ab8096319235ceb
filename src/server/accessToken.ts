import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** 32 random bytes as hex: the secret a browser needs to use the web host. */
export function createAccessToken(): string {
  return randomBytes(32).toString('hex')
}

/** Tokens go into URLs and cookies, so they are URL-safe; and long, so they cannot be guessed. */
export const ACCESS_TOKEN_PATTERN = /^[A-Za-z0-9._~-]{16,256}$/

/**
 * Compares in constant time. Both sides are hashed first, so the comparison takes as long whatever
 * the lengths, and `timingSafeEqual` always gets equal-length buffers.
 */
export function tokensMatch(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false
  const a = createHash('sha256').update(expected).digest()
  const b = createHash('sha256').update(given).digest()
  return timingSafeEqual(a, b)
}

/**
 * The cookie's name carries the port: browsers share cookies between ports of one host, so two
 * servers on 127.0.0.1 would otherwise overwrite each other's token.
 */
export function tokenCookieName(port: number): string {
  return `sdf-token-${port}`
}

export type TokenSource = 'query' | 'header' | 'cookie'

/** Every token the request carries, with where it came from: the query, `Authorization: Bearer`, or the cookie. */
export function tokensInRequest(request: IncomingMessage, cookieName: string): { token: string; source: TokenSource }[] {
  const found: { token: string; source: TokenSource }[] = []
  const query = request.url?.split('?')[1]
  if (query !== undefined) {
    for (const value of new URLSearchParams(query).getAll('token')) found.push({ token: value, source: 'query' })
  }
  const authorization = request.headers.authorization
  const bearer = authorization === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization)
  if (bearer?.[1] !== undefined) found.push({ token: bearer[1], source: 'header' })
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const equals = part.indexOf('=')
    if (equals !== -1 && part.slice(0, equals).trim() === cookieName) {
      found.push({ token: part.slice(equals + 1).trim(), source: 'cookie' })
    }
  }
  return found
}

/** The first valid token's source, or null when the request has none. Every candidate is checked in constant time. */
export function authenticate(request: IncomingMessage, expected: string, cookieName: string): TokenSource | null {
  let valid: TokenSource | null = null
  for (const { token, source } of tokensInRequest(request, cookieName)) {
    if (tokensMatch(expected, token) && valid === null) valid = source
  }
  return valid
}

/** `Set-Cookie` for the token: never readable by scripts, never sent by other sites. */
export function tokenCookie(cookieName: string, token: string): string {
  return `${cookieName}=${token}; Path=/; HttpOnly; SameSite=Strict`
}
