import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ImportReportSchema } from '../../../src/core/index.js'
import { createProgram } from '../../../src/cli/main.js'
import { SDF_FIXTURES } from '../../helpers/fixtures.js'
import { runSdf } from '../../helpers/runCli.js'
import { tempDir } from '../../helpers/tempDir.js'

describe('the sdf command', () => {
  it('prints help for itself and for every command', async () => {
    const top = await runSdf(['--help'])
    expect(top.code).toBe(0)
    const names = createProgram().commands.map((command) => command.name())
    expect(names).toEqual(expect.arrayContaining(['import', 'export', 'make-test-model']))
    // Spawned a few at a time: each start of bin/sdf costs a second or two on a small machine.
    for (let start = 0; start < names.length; start += 4) {
      await Promise.all(
        names.slice(start, start + 4).map(async (name) => {
          expect(top.stdout).toContain(name)
          const help = await runSdf([name, '--help'])
          expect(help.code, `${name} --help`).toBe(0)
          expect(help.stdout).toMatch(new RegExp(`Usage: sdf ${name}`))
        })
      )
    }
  }, 120_000)

  it('explains an unknown command and exits non-zero', async () => {
    const run = await runSdf(['frobnicate'])
    expect(run.code).not.toBe(0)
    expect(run.stderr).toMatch(/unknown command 'frobnicate'/)
  })
})

describe('sdf import --json', () => {
  it('prints exactly one JSON object with the counts and the rejected files', async () => {
    const input = await tempDir()
    await writeFile(join(input, 'bad.json'), '{"username": ')
    const workspace = join(await tempDir(), 'ws')
    const run = await runSdf(['import', SDF_FIXTURES, input, '--workspace', workspace, '--json'])
    expect(run.code).toBe(0)
    const report = ImportReportSchema.parse(JSON.parse(run.stdout))
    expect(Object.keys(JSON.parse(run.stdout))).toEqual([
      'personas',
      'topics',
      'instructions',
      'discussions',
      'comments',
      'annotations',
      'errors'
    ])
    expect(report.discussions).toBeGreaterThan(0)
    expect(report.errors.filter((error) => error.file === join(input, 'bad.json'))).toHaveLength(1)
  })

  it('exits 1 with --strict when a file was rejected', async () => {
    const input = await tempDir()
    await writeFile(join(input, 'bad.json'), '[')
    const run = await runSdf(['import', input, '--workspace', join(await tempDir(), 'ws'), '--strict'])
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/1 file\(s\) not imported/)
  })
})

describe('sdf export --format sdf', () => {
  it('writes files that sdf import reads back', async () => {
    const workspace = join(await tempDir(), 'ws')
    await runSdf(['import', join(SDF_FIXTURES, 'v0.2'), '--workspace', workspace])
    const out = join(await tempDir(), 'export')
    const exported = await runSdf(['export', '--workspace', workspace, '--format', 'sdf', '--out', out])
    expect(exported.code).toBe(0)
    expect(exported.stdout).toMatch(/Exported [1-9]\d* discussions/)
    const reimport = await runSdf(['import', out, '--workspace', join(await tempDir(), 'copy'), '--json'])
    expect(JSON.parse(reimport.stdout)).toMatchObject({ errors: [] })
  })

  it('says plainly when the workspace does not exist', async () => {
    const run = await runSdf(['export', '--workspace', join(await tempDir(), 'none'), '--format', 'sdf', '--out', '/tmp/x'])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/not an SDF Studio workspace/)
  })
})
