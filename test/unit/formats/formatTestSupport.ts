import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'
import {
  FormatError,
  parseSourceFile,
  type ParsedSource,
  type ParseOptions,
  type SourceFile
} from '../../../src/core/formats/index.js'

export const FIXTURES = fileURLToPath(new URL('../../fixtures/sdf/', import.meta.url))
/** The original tool's own input files beside the repository: read-only, used in place, never copied. */
export const REAL_EXAMPLES = join(fileURLToPath(new URL('../../../', import.meta.url)), '..', 'shared', 'reference', 'sdf-examples')
export const HAVE_REAL_EXAMPLES = existsSync(REAL_EXAMPLES)

export function sourceFile(path: string, text: string): SourceFile {
  return { path, text, sha256: createHash('sha256').update(text).digest('hex') }
}

/** A fixture as the importer would hand it over; the path keeps the SDF folder layout. */
export function fixture(relativePath: string): SourceFile {
  return sourceFile(`fixtures/sdf/${relativePath}`, readFileSync(FIXTURES + relativePath, 'utf8'))
}

export function fixtureJson(relativePath: string): Record<string, unknown> {
  return JSON.parse(readFileSync(FIXTURES + relativePath, 'utf8')) as Record<string, unknown>
}

export function parsed(file: SourceFile, options?: ParseOptions): ParsedSource {
  const result = parseSourceFile(file, options)
  if (result instanceof FormatError) throw new Error(`expected ${file.path} to parse, got: ${result.describe()}`)
  return result
}

export function parsedAs<K extends ParsedSource['kind']>(
  kind: K,
  file: SourceFile,
  options?: ParseOptions
): Extract<ParsedSource, { kind: K }> {
  const result = parsed(file, options)
  expect(result.kind).toBe(kind)
  return result as Extract<ParsedSource, { kind: K }>
}

export function formatError(file: SourceFile, options?: ParseOptions): FormatError {
  const result = parseSourceFile(file, options)
  if (!(result instanceof FormatError)) throw new Error(`expected ${file.path} to be rejected, got a ${result.kind}`)
  return result
}

/** JSON text as SDF wrote it: `json.dump(indent=4)`. */
export function jsonFile(path: string, value: unknown): SourceFile {
  return sourceFile(path, JSON.stringify(value, null, 4))
}
