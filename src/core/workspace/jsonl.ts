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
