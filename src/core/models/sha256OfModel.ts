import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, readFile, stat } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { z } from 'zod'
import { replaceFile } from './replaceFile.js'

/** The default cache: a hidden file next to the models, so it travels with the folder. */
export const SHA256_CACHE_FILE_NAME = '.sdf-sha256.json'

export interface Sha256OfModelOptions {
  /** Where the cache lives; defaults to `.sdf-sha256.json` in the model's folder. */
  readonly cacheFile?: string
  readonly signal?: AbortSignal
}

const CacheSchema = z.object({
  version: z.literal(1),
  entries: z.record(z.string(), z.object({ size: z.number(), mtimeMs: z.number(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }))
})
type Cache = z.infer<typeof CacheSchema>

const inFlight = new Map<string, Promise<string>>()
const cacheWrites = new Map<string, Promise<void>>()

/**
 * The SHA-256 of a model file (lower-case hex), recorded in every run's provenance. Hashing an 8 GB
 * file takes a while, so the result is cached, keyed by path, size and modification time: a
 * replaced or re-downloaded file is hashed again. An unreadable or unwritable cache only costs time.
 */
export async function sha256OfModel(path: string, options: Sha256OfModelOptions = {}): Promise<string> {
  const absolute = resolve(path)
  const cacheFile = resolve(options.cacheFile ?? join(dirname(absolute), SHA256_CACHE_FILE_NAME))
  // A job with a signal is not shared: one caller's abort must not fail another's hash.
  if (options.signal) return hashWithCache(absolute, cacheFile, options.signal)
  const key = `${cacheFile}\0${absolute}`
  const running = inFlight.get(key)
  if (running) return running
  const job = hashWithCache(absolute, cacheFile, undefined).finally(() => inFlight.delete(key))
  inFlight.set(key, job)
  return job
}

async function hashWithCache(path: string, cacheFile: string, signal: AbortSignal | undefined): Promise<string> {
  const { size, mtimeMs } = await stat(path)
  const cached = (await readCache(cacheFile)).entries[path]
  if (cached && cached.size === size && cached.mtimeMs === mtimeMs) return cached.sha256
  const sha256 = await sha256OfFile(path, signal)
  await updateCache(cacheFile, (cache) => {
    cache.entries[path] = { size, mtimeMs, sha256 }
  })
  return sha256
}

/** Streams the file through SHA-256 without caching. */
export async function sha256OfFile(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256')
  const stream = createReadStream(path, { highWaterMark: 1 << 20, signal })
  for await (const chunk of stream) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

async function readCache(cacheFile: string): Promise<Cache> {
  try {
    const parsed = CacheSchema.safeParse(JSON.parse(await readFile(cacheFile, 'utf8')))
    if (parsed.success) return parsed.data
  } catch {
    // Missing or corrupt: start over.
  }
  return { version: 1, entries: {} }
}

/** Serialised per cache file within this process, so parallel hashes do not drop each other's entries. */
function updateCache(cacheFile: string, change: (cache: Cache) => void): Promise<void> {
  const previous = cacheWrites.get(cacheFile) ?? Promise.resolve()
  const next = previous.then(async () => {
    try {
      const cache = await readCache(cacheFile)
      change(cache)
      await mkdir(dirname(cacheFile), { recursive: true })
      await replaceFile(cacheFile, `${JSON.stringify(cache, null, 2)}\n`)
    } catch {
      // A read-only models folder still gets its hashes, just not cached.
    }
  })
  cacheWrites.set(cacheFile, next)
  void next.finally(() => {
    if (cacheWrites.get(cacheFile) === next) cacheWrites.delete(cacheFile)
  })
  return next
}
