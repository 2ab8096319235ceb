import { readFile } from 'node:fs/promises'
import type { z } from 'zod'
import { describeZodError } from '../schema/describeZodError.js'
import { appendLinesDurably } from './atomicFile.js'

export interface JsonlProblem {
  line: number
  message: string
}

export interface JsonlContents<T> {
  records: T[]
  problems: JsonlProblem[]
  /** True when the last line had no newline and did not parse: a write cut short by a crash. */
  tornTail: boolean
}

/**
 * Reads an append-only journal. Bad lines are reported with their line number and skipped, so
 * one damaged record never hides the others.
 */
export async function readJsonl<S extends z.ZodType>(
  path: string,
  schema: S
): Promise<JsonlContents<z.output<S>>> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], problems: [], tornTail: false }
    throw error
  }
  const lines = text.split('\n')
  const endsWithNewline = text.endsWith('\n')
  if (endsWithNewline) lines.pop()
  const records: z.output<S>[] = []
  const problems: JsonlProblem[] = []
  let tornTail = false
  lines.forEach((line, position) => {
    if (line.trim() === '') return
    const isLast = position === lines.length - 1
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      if (isLast && !endsWithNewline) {
        tornTail = true
        problems.push({ line: position + 1, message: 'incomplete last record (a write was cut short); ignored' })
      } else {
        problems.push({ line: position + 1, message: 'not valid JSON' })
      }
      return
    }
    const parsed = schema.safeParse(value)
    if (parsed.success) records.push(parsed.data)
    else problems.push({ line: position + 1, message: describeZodError(parsed.error) })
  })
  return { records, problems, tornTail }
}

export async function appendJsonl(path: string, records: readonly unknown[]): Promise<void> {
  await appendLinesDurably(
    path,
    records.map((record) => JSON.stringify(record))
  )
}

const NEWLINE = 0x0a

/**
 * How many records a journal holds, counted by lines without parsing them: non-blank lines, less
 * a last line cut short by a crash (no newline, not JSON), as `readJsonl` would skip it. A damaged
 * line in the middle is counted (it is rare, and `readJsonl` reports it when the journal is read);
 * counting this way is what lets a workspace summary stay fast over 10,000 journals.
 */
export async function countJsonlLines(path: string): Promise<number> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0
    throw error
  }
  let count = 0
  let start = 0
  while (start < bytes.length) {
    const found = bytes.indexOf(NEWLINE, start)
    const end = found === -1 ? bytes.length : found
    const line = bytes.subarray(start, end)
    if (!isBlank(line) && (found !== -1 || parsesAsJson(line))) count++
    start = end + 1
  }
  return count
}

function isBlank(line: Buffer): boolean {
  for (const byte of line) {
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false
  }
  return true
}

function parsesAsJson(line: Buffer): boolean {
  try {
    JSON.parse(line.toString('utf8'))
    return true
  } catch {
    return false
  }
}
