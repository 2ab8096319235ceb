import { readdir, readFile } from 'node:fs/promises'
import { afterAll, describe, expect, it } from 'vitest'
import { createLlamaCppBackend, resumeRun, type Discussion, type JournalRecord, type LlamaCppBackend, type Workspace } from '../../src/core/index.js'
import { loadTestLlama, TEST_THREADS, tinyModelPath } from '../helpers/testModel.js'
import { CONTEXT_SIZE, FAULT_SEED, FAULT_TRIALS, faultWorkspace, journalRecords, modelFlags, seededRandom, startSdf, waitFor, type Child } from './faultSupport.js'

// SIGKILL lands at a seeded random moment after the model has loaded: mid-token, mid-fsync of the
// journal, mid-rename of a discussion file. Each trial kills `sdf run`, then (half the time) kills
// the first `sdf resume` too, then resumes to the end, and checks what a researcher relies on.

/** Steps the 8 short discussions of `faultWorkspace(2)` take on the tiny model (36 measured). */
const TOTAL_STEPS = 36

let backend: LlamaCppBackend | undefined
async function sharedBackend(modelPath: string): Promise<LlamaCppBackend> {
  backend ??= await createLlamaCppBackend({ modelPath, llama: await loadTestLlama(), threads: TEST_THREADS, contextSize: CONTEXT_SIZE, sequences: 8 })
  return backend
}
afterAll(async () => backend?.dispose())

interface Snapshot {
  /** Complete journal lines at the moment of the kill. */
  lines: string[]
  records: JournalRecord[]
  /** Discussion files saved by then, by id, with their bytes. */
  saved: Map<string, string>
}

async function snapshot(workspace: Workspace, journal: string): Promise<Snapshot> {
  const text = await readFile(journal, 'utf8').catch(() => '')
  const lines = text.split('\n')
  lines.pop() // the part after the last newline is not a complete record
  const saved = new Map<string, string>()
  for (const file of await readdir(workspace.resolve('discussions')).catch(() => [] as string[])) {
    if (file.endsWith('.json')) saved.set(file.slice(0, -'.json'.length), await readFile(workspace.resolve('discussions', file), 'utf8'))
  }
  return { lines, records: await journalRecords(journal), saved }
}

/**
 * Kills the child once its journal holds a random number of steps (up to `maxSteps`) plus a random
 * 0-40 ms, so the kill lands anywhere in a step: in the model call, the fsync, the save. Answers
 * whether the child was still running when the signal went.
 */
async function killAtRandom(child: Child, journal: string, random: () => number, maxSteps: number): Promise<boolean> {
  const steps = async () => (await journalRecords(journal)).filter((record) => record.type === 'step').length
  const before = await steps()
  const target = before + Math.floor(random() * (maxSteps - before))
  await waitFor(async () => (await steps()) >= target || child.process.exitCode !== null, 120_000, () => child.stderr())
  await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 40)))
  const wasRunning = child.process.exitCode === null
  child.process.kill('SIGKILL')
  await child.exited
  return wasRunning
}

describe(`SIGKILL of the runner at seeded random points (${FAULT_TRIALS} trials, seed ${FAULT_SEED})`, () => {
  it('loses no completed comment, duplicates nothing, and resumes every discussion to the end', async () => {
    const modelPath = await tinyModelPath()
    const random = seededRandom(FAULT_SEED)
    const summary: string[] = []
    for (let trial = 0; trial < FAULT_TRIALS; trial++) {
      const { workspace, designFile, plans } = await faultWorkspace(2)
      const runId = `kill-${trial}`
      const journal = workspace.resolve('runs', runId, 'journal.jsonl')
      const snapshots: Snapshot[] = []
      const run = startSdf(['run', designFile, '--workspace', workspace.root, '--run-id', runId, ...modelFlags(modelPath, 1 + (trial % 2))])
      let kills = (await killAtRandom(run, journal, random, TOTAL_STEPS)) ? 1 : 0
      snapshots.push(await snapshot(workspace, journal))
      if (random() < 0.5) {
        const again = startSdf(['resume', runId, '--workspace', workspace.root, ...modelFlags(modelPath, 2)])
        if (await killAtRandom(again, journal, random, TOTAL_STEPS)) kills += 1
        snapshots.push(await snapshot(workspace, journal))
      }
      // The last session runs in this process on one shared backend: a child per trial would double the suite's time.
      const resumed = await resumeRun(workspace, runId, await sharedBackend(modelPath), { concurrency: 2 })
      const result = await resumed.start()
      expect(result.failed, `trial ${trial}`).toEqual([])
      expect(result.finished).toHaveLength(plans.length)

      const final = await snapshot(workspace, journal)
      for (const before of snapshots) {
        // Append-only: every complete line at a kill is still there, in place.
        expect(final.lines.slice(0, before.lines.length)).toEqual(before.lines)
        // A discussion saved before a kill is never rewritten.
        for (const [id, bytes] of before.saved) expect(final.saved.get(id), `trial ${trial}: ${id} rewritten`).toBe(bytes)
      }
      const steps = final.records.filter((record) => record.type === 'step')
      for (const plan of plans) {
        const discussion = JSON.parse(final.saved.get(plan.id) ?? 'null') as Discussion | null
        expect(discussion?.status, `trial ${trial}: ${plan.id}`).toBe('complete')
        const own = steps.filter((record) => record.discussion_id === plan.id).map((record) => record.step)
        // No step journaled twice (a replayed step is not written again), none missing.
        expect(own.map((step) => step.step)).toEqual(own.map((_, position) => position))
        // Every comment-producing step that was ever journaled is a comment of the saved discussion.
        const comments = discussion!.comments.filter((comment) => comment.role !== 'seed')
        const spoken = own.filter((step) => step.phase === 'user' || step.phase === 'moderator')
        expect(comments.map((comment) => [comment.author, comment.seed, comment.raw_text])).toEqual(
          spoken.map((step) => [step.speaker, step.seed, step.raw_text])
        )
        expect(discussion!.comments.map((comment) => comment.index)).toEqual(discussion!.comments.map((_, index) => index))
        expect(final.records.filter((record) => record.type === 'discussion-finished' && record.discussion_id === plan.id)).toHaveLength(1)
      }
      expect([...final.saved.keys()].sort()).toEqual(plans.map((plan) => plan.id).sort())
      const stepsAtKills = snapshots.map((s) => s.records.filter((record) => record.type === 'step').length)
      summary.push(`trial ${trial}: ${kills} kill(s), journaled steps at kills ${stepsAtKills.join('/')}, final ${steps.length}`)
    }
    console.info(`[faults] SIGKILL\n${summary.join('\n')}`)
  })
})
