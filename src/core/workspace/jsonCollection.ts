import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { z } from 'zod'
import { describeZodError } from '../schema/describeZodError.js'
import { IdSchema } from '../schema/ids.js'
import { isAtomicTempFile, writeJsonAtomically } from './atomicFile.js'

/** A file in the workspace that exists but does not hold a valid record. */
export interface WorkspaceProblem {
  file: string
  message: string
}

export interface CollectionListing<T> {
  items: T[]
  problems: WorkspaceProblem[]
}

/** One page of a collection, in id order; `total` counts every record file, valid or not. */
export interface CollectionPage<T> extends CollectionListing<T> {
  total: number
  /** Ids the page went through (records and problems): the next page starts this much further on. */
  read: number
}

/**
 * Parsed records kept in memory per collection. A workspace can hold 10,000 discussions of
 * ~20 KiB each; caching all of them would hold the whole workspace in memory, so the cache
 * forgets the least recently read beyond this many.
 */
export const CACHED_RECORDS_PER_COLLECTION = 1000

interface CachedRecord<T> {
  mtimeMs: number
  size: number
  value: T
}

/**
 * A folder of `<id>.json` files, one record each, validated against a schema. Reads go to disk
 * (with a cache keyed by mtime and size) so edits made outside the app are always seen.
 */
export class JsonCollection<S extends z.ZodType<{ id: string }>> {
  private readonly cache = new Map<string, CachedRecord<z.output<S>>>()

  constructor(
    readonly folder: string,
    private readonly schema: S,
    /** Singular noun for messages: "persona", "topic", … */
    private readonly noun: string
  ) {}

  pathOf(id: string): string {
    IdSchema.parse(id)
    return join(this.folder, `${id}.json`)
  }

  async ids(): Promise<string[]> {
    let names: string[]
    try {
      names = await readdir(this.folder)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw error
    }
    return names
      .filter((name) => name.endsWith('.json') && !name.startsWith('.') && !isAtomicTempFile(name))
      .map((name) => name.slice(0, -'.json'.length))
      .filter((id) => IdSchema.safeParse(id).success)
      .sort()
  }

  async list(): Promise<CollectionListing<z.output<S>>> {
    const { items, problems } = await this.readAll(await this.ids())
    return { items, problems }
  }

  /**
   * Records from `offset` in id order, reading only those files: at most `limit` of them, and
   * fewer once their files reach `maxBytes` (always at least one), so a page of large records
   * stays a bounded message. `read` says how many ids the page used, for the next offset.
   */
  async listPage(offset: number, limit: number, maxBytes = Number.POSITIVE_INFINITY): Promise<CollectionPage<z.output<S>>> {
    const ids = await this.ids()
    const page = await this.readAll(ids.slice(offset, offset + limit), maxBytes)
    return { ...page, total: ids.length }
  }

  private async readAll(
    ids: readonly string[],
    maxBytes = Number.POSITIVE_INFINITY
  ): Promise<CollectionListing<z.output<S>> & { read: number }> {
    const items: z.output<S>[] = []
    const problems: WorkspaceProblem[] = []
    let bytes = 0
    let read = 0
    for (const id of ids) {
      if (read > 0 && bytes >= maxBytes) break
      read++
      const result = await this.read(id)
      if (result === undefined) continue
      bytes += result.bytes
      if ('problem' in result) problems.push(result.problem)
      else items.push(result.value)
    }
    return { items, problems, read }
  }

  async get(id: string): Promise<z.output<S> | undefined> {
    const result = await this.read(id)
    if (result === undefined) return undefined
    if ('problem' in result) throw new Error(`${result.problem.file}: ${result.problem.message}`)
    return result.value
  }

  async has(id: string): Promise<boolean> {
    try {
      await stat(this.pathOf(id))
      return true
    } catch {
      return false
    }
  }

  /** Parses a record against the collection's schema; throws a readable error naming the field. */
  validate(value: z.input<S>): z.output<S> {
    const parsed = this.schema.safeParse(value)
    if (!parsed.success) throw new Error(`invalid ${this.noun}: ${describeZodError(parsed.error)}`)
    this.pathOf(parsed.data.id)
    return parsed.data
  }

  /** Validates, then writes atomically. Returns the stored (parsed) value. */
  async put(value: z.input<S>): Promise<z.output<S>> {
    return this.write(this.validate(value))
  }

  /**
   * Writes the record unless one with its id is already stored. Content-derived ids make equal
   * ids mean equal content, so the stored copy (and its original provenance) is kept as it is.
   */
  async putIfAbsent(value: z.input<S>): Promise<z.output<S>> {
    const record = this.validate(value)
    if (await this.has(record.id)) return record
    return this.write(record)
  }

  async delete(id: string): Promise<void> {
    await rm(this.pathOf(id), { force: true })
    this.cache.delete(id)
  }

  private async write(record: z.output<S>): Promise<z.output<S>> {
    await mkdir(this.folder, { recursive: true })
    await writeJsonAtomically(this.pathOf(record.id), record)
    this.cache.delete(record.id)
    return record
  }

  private async read(
    id: string
  ): Promise<({ value: z.output<S> } | { problem: WorkspaceProblem }) & { bytes: number } | undefined> {
    const path = this.pathOf(id)
    let info
    try {
      info = await stat(path)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }
    const cached = this.cache.get(id)
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) {
      // Re-inserted so the Map's order is least recently read first.
      this.cache.delete(id)
      this.cache.set(id, cached)
      return { value: cached.value, bytes: info.size }
    }
    let data: unknown
    try {
      data = JSON.parse(await readFile(path, 'utf8'))
    } catch (error) {
      return { problem: { file: path, message: `not valid JSON (${(error as Error).message})` }, bytes: info.size }
    }
    const parsed = this.schema.safeParse(data)
    if (!parsed.success) {
      return { problem: { file: path, message: `not a valid ${this.noun}: ${describeZodError(parsed.error)}` }, bytes: info.size }
    }
    if (parsed.data.id !== id) {
      return { problem: { file: path, message: `holds id "${parsed.data.id}" but is named ${id}.json; rename one to match` }, bytes: info.size }
    }
    this.cache.delete(id)
    this.cache.set(id, { mtimeMs: info.mtimeMs, size: info.size, value: parsed.data })
    if (this.cache.size > CACHED_RECORDS_PER_COLLECTION) {
      const oldest = this.cache.keys().next().value
      if (oldest !== undefined) this.cache.delete(oldest)
    }
    return { value: parsed.data, bytes: info.size }
  }
}
