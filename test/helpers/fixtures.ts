import { existsSync } from 'node:fs'
import { join } from 'node:path'

export const REPO_ROOT = join(import.meta.dirname, '..', '..')
export const SDF_FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'sdf')

/**
 * The original tool's real input files, kept beside the repository in this workplace
 * (`../shared/reference/sdf-examples`); never copied into the repository or the app.
 */
export const SDF_EXAMPLES = join(REPO_ROOT, '..', 'shared', 'reference', 'sdf-examples')
export const HAVE_SDF_EXAMPLES = existsSync(SDF_EXAMPLES)
