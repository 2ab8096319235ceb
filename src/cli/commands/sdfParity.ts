import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { FormatError, freshSeed, parseSourceFile, type PersonaDraft } from '../../core/index.js'
import { CliError } from '../cliError.js'

/**
 * Shared by the SDF-parity commands: reading the original tool's input folders, and the seed. Files are taken in name
 * order (SDF used `os.listdir`, whose order depends on the file system), so a seed means the same
 * thing on every machine.
 */

/** Every regular file directly in `dir` (SDF read folders non-recursively), sorted by name. */
export async function filesIn(dir: string, flag: string): Promise<string[]> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new CliError(`${flag}: Directory ${dir} does not exist.`)
    throw new CliError(`${flag}: cannot read ${dir}: ${(error as Error).message}`)
  }
  const files: string[] = []
  for (const name of names.sort()) {
    const path = join(dir, name)
    if ((await stat(path)).isFile()) files.push(path)
  }
  return files
}

/** A text file, verbatim (SDF never stripped or unescaped instructions and topics). */
export async function readVerbatim(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new CliError(`${flag}: no such file: ${path}`)
    throw new CliError(`${flag}: cannot read ${path}: ${(error as Error).message}`)
  }
}

/** Personas from one-per-file folders (SDF v0) and array files (v0.2), in file order. */
export async function readPersonaDir(dir: string, flag: string): Promise<PersonaDraft[]> {
  const personas: PersonaDraft[] = []
  for (const path of await filesIn(dir, flag)) {
    const parsed = parseSourceFile({ path, text: await readVerbatim(path, flag), sha256: '' })
    if (parsed instanceof FormatError) throw new CliError(`${flag}: ${parsed.describe()}`)
    if (parsed.kind !== 'personas') throw new CliError(`${flag}: ${path} is not a persona file (it reads as ${parsed.format})`)
    personas.push(...parsed.personas)
  }
  if (personas.length === 0) throw new CliError(`${flag}: no persona files in ${dir}`)
  return personas
}

/** The seed to use, announced on stderr when it was made up (stdout stays SDF's). */
export function chosenSeed(seed: number | undefined): number {
  if (seed !== undefined) return seed
  const fresh = freshSeed()
  process.stderr.write(`sdf: no --seed given; using --seed ${fresh} (pass it to reproduce these files)\n`)
  return fresh
}
