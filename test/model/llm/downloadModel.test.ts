import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { downloadModel, ModelDownloadError, sha256OfModel, SHA256_CACHE_FILE_NAME } from '../../../src/core/models/index.js'
import { tempDir } from '../../helpers/tempDir.js'
import { tinyModelPath } from '../../helpers/testModel.js'

const MiB = 1024 * 1024
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

interface ServedModel {
  url: string
  /** The Range header of every GET, '-' for none. */
  ranges: string[]
  /** Ranges starting at or after this byte trickle out slowly (a flaky connection). */
  slowFrom: number
}

const servers: Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

/** A static file server on 127.0.0.1 with HEAD and Range support, like a model hub's CDN. */
async function serve(name: string, body: Buffer): Promise<ServedModel> {
  const served: ServedModel = { url: '', ranges: [], slowFrom: Infinity }
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (request.url !== `/${name}`) return void response.writeHead(404).end('not found')
    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '')
    const start = range ? Number(range[1]) : 0
    const end = range?.[2] ? Number(range[2]) : body.length - 1
    const part = body.subarray(start, end + 1)
    response.writeHead(range ? 206 : 200, {
      'content-length': part.length,
      'accept-ranges': 'bytes',
      'content-type': 'application/octet-stream',
      ...(range ? { 'content-range': `bytes ${start}-${end}/${body.length}` } : {})
    })
    if (request.method === 'HEAD') return void response.end()
    served.ranges.push(request.headers.range ?? '-')
    if (!range || start < served.slowFrom) return void response.end(part)
    let offset = 0
    const timer = setInterval(() => {
      if (response.destroyed || offset >= part.length) {
        clearInterval(timer)
        if (!response.destroyed) response.end()
        return
      }
      response.write(part.subarray(offset, (offset += 16 * 1024)))
    }, 20)
    response.on('close', () => clearInterval(timer))
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  served.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/${name}`
  return served
}

describe('downloadModel', () => {
  it('downloads a model over HTTP with progress, verifies the checksum and returns its hash', async () => {
    const model = await readFile(await tinyModelPath())
    const { url } = await serve('tiny.gguf', model)
    const folder = await tempDir()
    const progress: number[] = []
    const result = await downloadModel(url, folder, { sha256: sha256(model), onProgress: ({ downloadedBytes }) => progress.push(downloadedBytes) })
    expect(result).toEqual({ path: join(folder, 'tiny.gguf'), sizeBytes: model.length, sha256: sha256(model) })
    expect(await readFile(result.path)).toEqual(model)
    expect(progress.at(-1)).toBe(model.length)
  })

  it('a checksum mismatch deletes the download and throws checksum-mismatch', async () => {
    const model = await readFile(await tinyModelPath())
    const { url } = await serve('tiny.gguf', model)
    const folder = await tempDir()
    const error = await downloadModel(url, folder, { sha256: '0'.repeat(64) }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ModelDownloadError)
    expect(error).toMatchObject({ code: 'checksum-mismatch', message: expect.stringContaining(`is ${sha256(model)}, expected ${'0'.repeat(64)}`) })
    expect((await readdir(folder)).filter((file) => file.endsWith('.gguf'))).toEqual([])
  })

  it('something that is not a GGUF model (an error page) is refused as invalid-model', async () => {
    const { url } = await serve('model.gguf', Buffer.from('<html>rate limited</html>'))
    await expect(downloadModel(url, await tempDir())).rejects.toMatchObject({ code: 'invalid-model' })
  })

  it('resumes an interrupted download instead of starting over', async () => {
    // Over 5 MiB, ipull's chunk size, so part of it is saved before the interruption.
    const base = await readFile(await tinyModelPath())
    const model = Buffer.concat([base, Buffer.alloc(12 * MiB - base.length, 7)])
    const served = await serve('padded.gguf', model)
    const folder = await tempDir()

    served.slowFrom = 5 * MiB
    const controller = new AbortController()
    const interrupted = downloadModel(served.url, folder, {
      signal: controller.signal,
      // Interrupt once the first chunk is on disk (ipull writes whole chunks).
      onProgress: () => {
        if (existsSync(join(folder, 'padded.gguf.ipull'))) controller.abort()
      }
    })
    await expect(interrupted).rejects.toMatchObject({ code: 'aborted' })
    expect(await readdir(folder)).toContain('padded.gguf.ipull')

    served.slowFrom = Infinity
    served.ranges.length = 0
    const result = await downloadModel(served.url, folder, { sha256: sha256(model) })
    expect(result.sizeBytes).toBe(model.length)
    // Only the missing chunks were fetched again (a plain GET first reads the headers).
    expect(served.ranges.filter((range) => range !== '-').length).toBeGreaterThan(0)
    expect(served.ranges.filter((range) => range.startsWith('bytes=0-'))).toEqual([])
  }, 30_000)
})

describe('sha256OfModel', () => {
  it('hashes once and then answers from the cache next to the model', async () => {
    const folder = await tempDir()
    const path = join(folder, 'model.gguf')
    const bytes = await readFile(await tinyModelPath())
    await writeFile(path, bytes)
    expect(await sha256OfModel(path)).toBe(sha256(bytes))

    const cache = JSON.parse(await readFile(join(folder, SHA256_CACHE_FILE_NAME), 'utf8'))
    expect(cache.entries[path]).toMatchObject({ size: bytes.length, sha256: sha256(bytes) })

    // Planting a different hash in the cache proves the second answer comes from it.
    cache.entries[path].sha256 = 'f'.repeat(64)
    await writeFile(join(folder, SHA256_CACHE_FILE_NAME), JSON.stringify(cache))
    expect(await sha256OfModel(path)).toBe('f'.repeat(64))
  })

  it('hashes again when the file changes (size or modification time)', async () => {
    const folder = await tempDir()
    const path = join(folder, 'model.gguf')
    await writeFile(path, 'first version')
    const first = await sha256OfModel(path)
    await writeFile(path, 'second version!')
    expect(await sha256OfModel(path)).toBe(sha256(Buffer.from('second version!')))
    expect(first).toBe(sha256(Buffer.from('first version')))

    const { mtime } = await stat(path)
    await writeFile(path, 'second VERSION!') // same size
    await utimes(path, mtime, new Date(mtime.getTime() + 5000))
    expect(await sha256OfModel(path)).toBe(sha256(Buffer.from('second VERSION!')))
  })

  it('uses a cache file of the caller\'s choosing, and still works when the cache cannot be written', async () => {
    const folder = await tempDir()
    const path = join(folder, 'model.gguf')
    await writeFile(path, 'weights')
    const cacheFile = join(await tempDir(), 'cache', 'hashes.json')
    expect(await sha256OfModel(path, { cacheFile })).toBe(sha256(Buffer.from('weights')))
    expect(Object.keys(JSON.parse(await readFile(cacheFile, 'utf8')).entries)).toEqual([path])
    expect(await sha256OfModel(path, { cacheFile: join(path, 'impossible.json') })).toBe(sha256(Buffer.from('weights')))
  })
})
