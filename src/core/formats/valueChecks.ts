/**
 * Small typed checks shared by the readers. They throw `ReadError` (a field and a message, no file),
 * which `parseSourceFile` turns into a `FormatError` naming the file: readers stay free of paths and
 * the one public entry point keeps its never-throws promise in a single place.
 */
export class ReadError extends Error {
  constructor(
    message: string,
    readonly field?: string
  ) {
    super(message)
  }
}

export type JsonRecord = Record<string, unknown>

export function fail(field: string | undefined, message: string): never {
  throw new ReadError(message, field === '' ? undefined : field)
}

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A word for what a JSON value is, for "expected …, got …" messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'nothing'
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`
  if (typeof value === 'object') return 'object'
  return typeof value
}

export function childField(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`
}

export function itemField(prefix: string, index: number): string {
  return `${prefix}[${index}]`
}

/** Sets a key as an own property even when it is `__proto__`, so file data can never reach a prototype. */
export function setOwn(target: JsonRecord, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

export function expectString(value: unknown, field: string, what = 'a string'): string {
  if (typeof value !== 'string') fail(field, `expected ${what}, got ${describeValue(value)}`)
  return value
}

/** Absent and JSON null both mean "not given": Python wrote `None` for optional fields. */
export function optionalString(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null
  return expectString(value, field)
}

export function expectList(value: unknown, field: string, what = 'a list'): unknown[] {
  if (!Array.isArray(value)) fail(field, `expected ${what}, got ${describeValue(value)}`)
  return value
}

export function expectStringList(value: unknown, field: string): string[] {
  return expectList(value, field, 'a list of strings').map((item, index) =>
    expectString(item, itemField(field, index))
  )
}

export function optionalInteger(value: unknown, field: string): number | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    fail(field, `expected a whole number of 0 or more, got ${typeof value === 'number' ? value : describeValue(value)}`)
  }
  return value
}

export function expectRecord(value: unknown, field: string, what = 'an object'): JsonRecord {
  if (!isRecord(value)) fail(field, `expected ${what}, got ${describeValue(value)}`)
  return value
}

/** The top-level keys of `data` that a format does not define, kept verbatim in file order. */
export function unknownKeys(data: JsonRecord, known: readonly string[]): JsonRecord {
  const extra: JsonRecord = {}
  for (const [key, value] of Object.entries(data)) {
    if (!known.includes(key)) setOwn(extra, key, value)
  }
  return extra
}

/** File name without folders and without its last extension (`topics/polarized_1.txt` → `polarized_1`). */
export function baseName(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? path
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(0, dot) : name
}

/** The folder names of a path, nearest first; the file name itself is left out. */
export function folderNames(path: string): string[] {
  return path
    .split(/[\\/]/)
    .slice(0, -1)
    .filter((segment) => segment !== '' && segment !== '.')
    .reverse()
}
