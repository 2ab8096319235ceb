import { copyFile, readFile, stat, truncate, unlink } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import type { Discussion } from '../../src/core/index.js'
import { tinyModelPath } from '../helpers/testModel.js'
import { faultWorkspace, journalRecords, modelFlags, startSdf, waitFor } from './faultSupport.js'

// The model file is the one input a run reads all the time (llama.cpp maps it into memory). Someone
// deletes it, or a sync tool or a half-finished download rewrites it in place, while a run goes on.

async function stepsIn(journal: string): Promise<number> {
  return (await journalRecords(journal)).filter((record) => record.type === 'step').length
}

async function expectAllFinished(root: string, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const discussion = JSON.parse(await readFile(`${root}/discussions/${id}.json`, 'utf8')) as Discussion
    expect(discussion.status).toBe('complete')
  }
}

describe('the model file changes under a running run', () => {
  it('removed mid-run: the run finishes (the mapping keeps the file alive); resuming without it fails clearly', async () => {
    const { workspace, designFile, plans } = await faultWorkspace(1)
    const model = workspace.resolve('model.gguf')
    await copyFile(await tinyModelPath(), model)
    const journal = workspace.resolve('runs', 'gone', 'journal.jsonl')
    const run = startSdf(['run', designFile, '--workspace', workspace.root, '--run-id', 'gone', ...modelFlags(model)])
    await waitFor(async () => (await stepsIn(journal)) >= 2 || run.process.exitCode !== null, 120_000, () => run.stderr())
    await unlink(model)
    const { code } = await run.exited
    expect(code, run.stderr()).toBe(0)
    await expectAllFinished(workspace.root, plans.map((plan) => plan.id))

    const resumed = startSdf(['resume', 'gone', '--workspace', workspace.root, ...modelFlags(model)])
    expect((await resumed.exited).code).toBe(1)
    expect(resumed.stderr()).toContain('--model')
    expect(resumed.stderr()).toContain(model)
    expect(resumed.stderr()).not.toMatch(/\n\s+at /) // an explanation, not a stack trace
  })

  it('truncated in place mid-run: no journaled step is lost, a resume on the damaged file is refused clearly, and one on a good copy finishes', async () => {
    const { workspace, designFile, plans } = await faultWorkspace(2)
    const model = workspace.resolve('model.gguf')
    const original = await tinyModelPath()
    await copyFile(original, model)
    const journal = workspace.resolve('runs', 'cut', 'journal.jsonl')
    const run = startSdf(['run', designFile, '--workspace', workspace.root, '--run-id', 'cut', ...modelFlags(model)])
    await waitFor(async () => (await stepsIn(journal)) >= 2 || run.process.exitCode !== null, 120_000, () => run.stderr())
    const { size } = await stat(model)
    await truncate(model, Math.floor(size / 2))
    const before = await journalRecords(journal)
    const ended = await run.exited
    // What the child does depends on which pages it still touches: llama.cpp may read the cut-off
    // part (SIGBUS), or finish from what it had. Either way the journal holds what was done.
    const after = await journalRecords(journal)
    expect(after.slice(0, before.length)).toEqual(before)

    const refused = startSdf(['resume', 'cut', '--workspace', workspace.root, ...modelFlags(model)])
    const refusedEnd = await refused.exited
    const unfinished = (ended.code === 0 && ended.signal === null) === false
    if (unfinished) {
      expect(refusedEnd.code, refused.stderr()).toBe(1)
      expect(refused.stderr()).toContain(model)
      expect(refused.stderr()).not.toMatch(/\n\s+at /)
    }
    await copyFile(original, model)
    const resumed = startSdf(['resume', 'cut', '--workspace', workspace.root, ...modelFlags(model, 2)])
    expect((await resumed.exited).code, resumed.stderr()).toBe(0)
    await expectAllFinished(workspace.root, plans.map((plan) => plan.id))
    const final = await journalRecords(journal)
    expect(final.slice(0, after.length)).toEqual(after)
    console.info(
      `[faults] model truncated mid-run: the run ended with ${ended.signal ?? `code ${ended.code}`} after ${after.filter((r) => r.type === 'step').length} steps; ` +
        `resume on the cut file: code ${refusedEnd.code}: ${refused.stderr().trim().split('\n').pop()}`
    )
  })
})
