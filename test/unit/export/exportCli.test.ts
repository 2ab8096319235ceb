import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { importIntoWorkspace, Workspace } from '../../../src/core/index.js'
import { SDF_FIXTURES } from '../../helpers/fixtures.js'
import { runSdf } from '../../helpers/runCli.js'
import { tempDir } from '../../helpers/tempDir.js'

describe('sdf export', () => {
  it('writes CSV tables, the flat table and the data dictionary into --out', async () => {
    const root = await tempDir()
    const workspace = await Workspace.create(root)
    await importIntoWorkspace(workspace, [SDF_FIXTURES])
    const summary = await workspace.summary()
    const out = join(await tempDir(), 'export')
    const run = await runSdf(['export', '--workspace', root, '--format', 'csv', '--out', out])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`comments: `)
    const discussions = parse(await readFile(join(out, 'discussions.csv'), 'utf8'), { columns: true }) as unknown[]
    expect(discussions).toHaveLength(summary.discussions)
    for (const name of ['sdf_flat.csv', 'data_dictionary.csv', 'data_dictionary.json']) await stat(join(out, name))
  }, 60_000)

  it('still writes SDF JSON files with --format sdf, and refuses unknown formats', async () => {
    const root = await tempDir()
    await importIntoWorkspace(await Workspace.create(root), [SDF_FIXTURES])
    const out = await tempDir()
    const run = await runSdf(['export', '--workspace', root, '--format', 'sdf', '--out', out])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^Exported \d+ discussions and \d+ annotation files/)
    await stat(join(out, 'discussions'))
    const bad = await runSdf(['export', '--workspace', root, '--format', 'xlsx', '--out', out])
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toContain('xlsx')
  }, 60_000)
})
