import { createReadStream } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path'

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8'
}

export type StaticLookup = { kind: 'file'; path: string } | { kind: 'bad-path' } | { kind: 'not-found' }

/**
 * Maps a request path to a file inside `root`, or refuses it. The path is decoded once, and any
 * `..` segment, backslash or NUL is refused outright rather than normalised away; the resolved file
 * (symbolic links followed) must still lie inside the real `root`.
 */
export async function lookUpStaticFile(root: string, requestPath: string): Promise<StaticLookup> {
  let decoded: string
  try {
    decoded = decodeURIComponent(requestPath)
  } catch {
    return { kind: 'bad-path' }
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return { kind: 'bad-path' }
  const segments = decoded.split('/').slice(1)
  if (segments.some((segment) => segment === '..' || segment === '.')) return { kind: 'bad-path' }
  const relativePath = decoded === '/' ? 'index.html' : segments.join(sep)
  const realRoot = await realpath(root).catch(() => resolve(root))
  const candidate = resolve(realRoot, relativePath)
  if (!isInside(realRoot, candidate)) return { kind: 'bad-path' }
  let real: string
  try {
    real = await realpath(candidate)
    if (!(await stat(real)).isFile()) return { kind: 'not-found' }
  } catch {
    return { kind: 'not-found' }
  }
  return isInside(realRoot, real) ? { kind: 'file', path: real } : { kind: 'not-found' }
}

function isInside(root: string, path: string): boolean {
  const fromRoot = relative(root, path)
  return fromRoot !== '' && !fromRoot.startsWith('..') && !isAbsolute(fromRoot)
}

/** Serves GET/HEAD for the built renderer; assumes the caller has authenticated the request. */
export async function serveStatic(root: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('405: method not allowed\n')
    return
  }
  const requestPath = (request.url ?? '/').split('?')[0] ?? '/'
  const found = await lookUpStaticFile(root, requestPath)
  if (found.kind !== 'file') {
    const status = found.kind === 'bad-path' ? 400 : 404
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(status === 400 ? '400: bad path\n' : '404: not found\n')
    return
  }
  const type = CONTENT_TYPES[extname(found.path).toLowerCase()] ?? 'application/octet-stream'
  const size = (await stat(found.path)).size
  response.writeHead(200, {
    'Content-Type': type,
    'Content-Length': size,
    // Built assets carry a content hash in their names; the page itself must always be fresh.
    'Cache-Control': found.path.includes(`${sep}assets${sep}`) ? 'private, max-age=31536000, immutable' : 'no-store'
  })
  if (request.method === 'HEAD') {
    response.end()
    return
  }
  createReadStream(found.path).pipe(response)
}

/** Where `npm run build` puts the renderer, relative to the package root. */
export function defaultRendererDir(packageRoot: string): string {
  return join(packageRoot, 'out', 'renderer')
}
