import { createHash } from 'node:crypto'
import { open } from 'node:fs/promises'
import { extname } from 'node:path'
import type { SourceFile } from '../formats/parsedSource.js'

/** Larger files are refused before they are read: no SDF file comes near it. */
export const MAX_IMPORT_FILE_BYTES = 100 * 1024 * 1024

export const IMPORTABLE_EXTENSIONS = ['.json', '.txt', '.yml', '.yaml', ''] as const

/** Reads one file for import, or says in a sentence why it cannot be imported. */
export async function readImportFile(path: string): Promise<SourceFile | { problem: string }> {
  const extensionProblem = unsupportedExtension(path)
  if (extensionProblem) return { problem: extensionProblem }
  let bytes: Buffer
  try {
    const handle = await open(path, 'r')
    try {
      const { size } = await handle.stat()
      if (size > MAX_IMPORT_FILE_BYTES) return { problem: tooLarge(size) }
      bytes = await handle.readFile()
    } finally {
      await handle.close()
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return { problem: code === 'EACCES' ? 'permission denied: SDF Studio cannot read it' : `cannot read it (${code ?? String(error)})` }
  }
  return decodeImportBytes(path, bytes)
}

/**
 * The same checks for a file that arrives as content rather than as a path (an upload from the
 * browser, a drop in the desktop app); `name` may carry folders (`topics/a.txt`), which say what a
 * text file is.
 */
export function readImportContent(name: string, text: string): SourceFile | { problem: string } {
  const extensionProblem = unsupportedExtension(name)
  if (extensionProblem) return { problem: extensionProblem }
  const bytes = Buffer.from(text, 'utf8')
  if (bytes.length > MAX_IMPORT_FILE_BYTES) return { problem: tooLarge(bytes.length) }
  return decodeImportBytes(name, bytes)
}

function unsupportedExtension(path: string): string | undefined {
  const extension = extname(path).toLowerCase()
  if ((IMPORTABLE_EXTENSIONS as readonly string[]).includes(extension)) return undefined
  return `unsupported file type "${extension}": SDF Studio imports .json, .txt, .yml and .yaml files`
}

function tooLarge(size: number): string {
  return `file is ${(size / 1024 / 1024).toFixed(1)} MB, over the 100 MB import limit; split it into smaller files`
}

function decodeImportBytes(path: string, bytes: Buffer): SourceFile | { problem: string } {
  if (bytes.length === 0) return { problem: 'empty file: nothing to import' }
  const nul = bytes.indexOf(0)
  if (nul !== -1) return { problem: `binary file (a zero byte at offset ${nul}); SDF files are UTF-8 text` }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return { problem: 'not UTF-8 text; save the file as UTF-8 and import it again' }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  if (text.trim() === '') return { problem: 'empty file: only white space, nothing to import' }
  return { path, text, sha256: createHash('sha256').update(bytes).digest('hex') }
}
