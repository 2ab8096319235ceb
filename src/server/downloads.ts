import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { basename, extname, join } from 'node:path'
import { lookUpStaticFile } from './staticFiles.js'

/** The route under which the web host serves workspace files: `/download/exports/<export>/<file>`. */
export const DOWNLOAD_PREFIX = '/download/'

/** The one workspace folder downloads may come from (core's `EXPORTS_FOLDER`). */
const DOWNLOADABLE_FOLDER = 'exports'

const DOWNLOAD_TYPES: Readonly<Record<string, string>> = {
  '.csv': 'text/csv; charset=utf-8',
  '.jsonl': 'application/x-ndjson; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.parquet': 'application/vnd.apache.parquet',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8'
}

const TEXT = { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }

/**
 * `Content-Disposition: attachment` with the file's name: a plain ASCII fallback (quotes,
 * backslashes and non-ASCII replaced) and the exact name in RFC 5987's `filename*`.
 */
export function attachmentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, '_')
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`
}

/**
 * Serves a file of the workspace's exports folder as a download. The caller has authenticated
 * the request. The path is checked as static files are (`lookUpStaticFile`: decoded once; `..`,
 * `.`, backslashes and NUL refused, never normalised away; symbolic links must stay inside), but
 * rooted at `<workspace>/exports`, so nothing else of the workspace — or of the machine — can be
 * named.
 */
export async function serveDownload(workspaceRoot: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { ...TEXT, Allow: 'GET, HEAD' }).end('405: method not allowed\n')
    return
  }
  const path = (request.url ?? '/').split('?')[0] ?? '/'
  const inside = path.slice(DOWNLOAD_PREFIX.length - 1) // keeps the leading "/"
  const folderPrefix = `/${DOWNLOADABLE_FOLDER}/`
  if (!inside.startsWith(folderPrefix) || inside.length === folderPrefix.length) {
    response.writeHead(404, TEXT).end(`404: only files under ${DOWNLOADABLE_FOLDER}/ can be downloaded\n`)
    return
  }
  const found = await lookUpStaticFile(join(workspaceRoot, DOWNLOADABLE_FOLDER), inside.slice(folderPrefix.length - 1))
  if (found.kind !== 'file') {
    const status = found.kind === 'bad-path' ? 400 : 404
    response.writeHead(status, TEXT).end(status === 400 ? '400: bad path\n' : '404: no such export file\n')
    return
  }
  const size = (await stat(found.path)).size
  response.writeHead(200, {
    'Content-Type': DOWNLOAD_TYPES[extname(found.path).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': size,
    'Content-Disposition': attachmentDisposition(basename(found.path)),
    'Cache-Control': 'no-store'
  })
  if (request.method === 'HEAD') {
    response.end()
    return
  }
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(found.path)
    stream.on('error', reject)
    stream.on('end', resolve)
    stream.pipe(response)
  })
}
