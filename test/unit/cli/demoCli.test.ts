import { describe, expect, it } from 'vitest'
import { runSdf } from '../../helpers/runCli.js'

// The demo itself runs the tiny model: see test/model/demo/demo.test.ts.
describe('sdf demo (without running it)', () => {
  it('explains in --help what it does, where the results go and that the demo model writes meaningless text', async () => {
    const help = await runSdf(['demo', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/Usage: sdf demo/)
    expect(help.stdout).toMatch(/--workspace <dir>/)
    expect(help.stdout).toMatch(/--threads <n>/)
    expect(help.stdout).toMatch(/exports\/demo\//)
    expect(help.stdout).toMatch(/meaningless text/)
  })

  it('refuses a thread count that is not a whole number of at least 1', async () => {
    const run = await runSdf(['demo', '--threads', '0'])
    expect(run.code).not.toBe(0)
    expect(run.stderr).toMatch(/--threads.*whole number >= 1/)
  })
})
