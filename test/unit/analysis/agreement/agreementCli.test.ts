import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../../helpers/fixtures.js'
import { runSdf } from '../../../helpers/runCli.js'
import { tempDir } from '../../../helpers/tempDir.js'

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'agreement')
const KRIPPENDORFF = join(FIXTURES, 'krippendorff2011.csv')

describe('sdf agreement', () => {
  it("prints exactly the JSON object for Krippendorff's 2011 matrix: nominal alpha 0.743", async () => {
    const run = await runSdf(['agreement', KRIPPENDORFF, '--json'])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const result = JSON.parse(run.stdout) as Record<string, unknown>
    expect(Object.keys(result)).toEqual(['metric', 'level', 'value', 'units', 'annotators'])
    expect(result).toMatchObject({ metric: 'alpha', level: 'nominal', units: 12, annotators: 4 })
    expect(result.value).toBeCloseTo(0.743, 3)
    expect(run.stdout.trim().split('\n')).toHaveLength(1)
  })

  it('computes the other levels and metrics', async () => {
    const interval = await runSdf(['agreement', KRIPPENDORFF, '--level', 'interval', '--json'])
    expect((JSON.parse(interval.stdout) as { value: number }).value).toBeCloseTo(0.849, 3)
    const ac1 = await runSdf(['agreement', KRIPPENDORFF, '--metric', 'ac1', '--json'])
    expect((JSON.parse(ac1.stdout) as { value: number }).value).toBeCloseTo(0.77544, 5)
    const fleiss = await runSdf(['agreement', KRIPPENDORFF, '--metric', 'fleiss'])
    expect(fleiss.code).toBe(0)
    expect(fleiss.stdout).toMatch(/Fleiss' kappa \(nominal\): 0\.7612/)
  })

  it('prints a readable summary by default', async () => {
    const run = await runSdf(['agreement', KRIPPENDORFF])
    expect(run.code).toBe(0)
    expect(run.stdout).toBe("Krippendorff's alpha (nominal): 0.7434\n  12 units (11 rated by two or more), 4 annotators\n")
  })

  it('parses quoted fields with commas and line breaks', async () => {
    const run = await runSdf(['agreement', join(FIXTURES, 'quoted.csv'), '--json'])
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({ units: 4, annotators: 3 })
  })

  it.each([
    [['nope.csv'], /nope\.csv: no such file/],
    [[join(FIXTURES, 'ragged.csv')], /ragged\.csv: row 3 has 2 fields but the header has 3/],
    [[join(FIXTURES, 'nonnumeric.csv'), '--level', 'interval', '--missing', 'NA'], /row 3, column 3 \(bob\): "high" is not a number/],
    [[KRIPPENDORFF, '--metric', 'fleiss', '--level', 'interval'], /Fleiss' kappa is defined for nominal data only/],
    [[FIXTURES], /is a folder/]
  ])('exits 1 with a clear message for %j', async (args, message) => {
    const run = await runSdf(['agreement', ...args])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(message)
    expect(run.stderr).not.toMatch(/unexpected error/)
  })

  it('exits 1 for a file that is not CSV text and for data with nothing to compare', async () => {
    const dir = await tempDir()
    const binary = join(dir, 'image.csv')
    await writeFile(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe]))
    const notCsv = await runSdf(['agreement', binary])
    expect(notCsv.code).toBe(1)
    expect(notCsv.stderr).toMatch(/not a CSV text file/)

    const lonely = join(dir, 'lonely.csv')
    await writeFile(lonely, 'A,B\n1,\n,2\n')
    const unpaired = await runSdf(['agreement', lonely])
    expect(unpaired.code).toBe(1)
    expect(unpaired.stderr).toMatch(/no unit has values from two or more annotators/)

    const constant = join(dir, 'constant.csv')
    await writeFile(constant, 'A,B\nyes,yes\nyes,yes\n')
    const same = await runSdf(['agreement', constant])
    expect(same.code).toBe(1)
    expect(same.stderr).toMatch(/every value is "yes"/)
  })

  it('rejects an unknown level with the choices', async () => {
    const run = await runSdf(['agreement', KRIPPENDORFF, '--level', 'cardinal'])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/Allowed choices are nominal, ordinal, interval, ratio/)
  })
})
