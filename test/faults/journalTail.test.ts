import { readFile, writeFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { createRun, plansForDesign, readRunJournal, resumeRun, workspaceRunLocation, type Discussion, type DiscussionPlan, type Workspace } from '../../src/core/index.js'
import { tempDir } from '../helpers/tempDir.js'
import { tinyModelPath } from '../helpers/testModel.js'
import { withoutTimings } from '../unit/engine/engineSupport.js'
import { echoReply, fixedClock, ScriptedBackend } from '../unit/engine/scriptedBackend.js'
import { testDesign, testWorkspace } from '../unit/engine/workspaceSupport.js'
import { FAULT_SEED, FAULT_TRIALS, faultWorkspace, modelFlags, seededRandom, startSdf } from './faultSupport.js'

// A crash (or a disk) can leave a journal whose end is cut mid-record, followed by garbage or by
// NUL bytes (what some filesystems show after a power cut). The runner must recover every complete
// record before the damage, say where the damage is, and finish the run with the same discussions.

const backend = () => new ScriptedBackend(echoReply, { chunk: 8 })

async function completedRun(): Promise<{ root: string; journal: string; plans: DiscussionPlan[]; discussions: Map<string, Discussion> }> {
  const workspace = await testWorkspace()
  const { plans } = await plansForDesign(workspace, testDesign({ replicates: 1 }))
  const run = await createRun({ location: workspaceRunLocation(workspace, 'clean'), plans, backend: backend(), concurrency: 2, now: fixedClock(), provenance: { seed: 7 } })
  await run.start()
  const discussions = new Map<string, Discussion>()
  for (const plan of plans) discussions.set(plan.id, (await workspace.discussions.get(plan.id))!)
  return { root: workspace.root, journal: await readFile(workspace.resolve('runs', 'clean', 'journal.jsonl'), 'utf8'), plans, discussions }
}

type Damage = 'cut' | 'cut + garbage' | 'cut + NUL bytes'
const DAMAGES: Damage[] = ['cut', 'cut + garbage', 'cut + NUL bytes']

function damage(journal: Buffer, kind: Damage, random: () => number): { bytes: Buffer; cut: number } {
  // Cut after the first record (run-started) so the journal still names the run's discussions.
  const first = journal.indexOf(0x0a) + 1
  const cut = first + Math.floor(random() * (journal.length - first))
  const kept = journal.subarray(0, cut)
  const length = 1 + Math.floor(random() * 200)
  if (kind === 'cut') return { bytes: kept, cut }
  if (kind === 'cut + NUL bytes') return { bytes: Buffer.concat([kept, Buffer.alloc(length)]), cut }
  const garbage = Array.from({ length }, () => String.fromCharCode(0x20 + Math.floor(random() * 0x5f))).join('')
  return { bytes: Buffer.concat([kept, Buffer.from(garbage)]), cut }
}

async function newRunOver(workspace: Workspace, plans: readonly DiscussionPlan[], runId: string): Promise<string> {
  await createRun({ location: workspaceRunLocation(workspace, runId), plans, backend: backend(), now: fixedClock(), provenance: { seed: 7 } })
  return workspace.resolve('runs', runId, 'journal.jsonl')
}

describe(`a damaged journal tail (${FAULT_TRIALS * 6} seeded trials)`, () => {
  it('recovers every complete record before the damage, reports the damaged line, and finishes with the same discussions', async () => {
    const clean = await completedRun()
    const random = seededRandom(FAULT_SEED + 2)
    const counts = new Map<Damage, number>()
    for (let trial = 0; trial < FAULT_TRIALS * 6; trial++) {
      const kind = DAMAGES[trial % DAMAGES.length]!
      const workspace = await testWorkspace()
      const journalPath = await newRunOver(workspace, clean.plans, `torn-${trial}`)
      // The journal names saved files by path: point them into this trial's workspace.
      const journal = Buffer.from(clean.journal.split(clean.root).join(workspace.root))
      const { bytes, cut } = damage(journal, kind, random)
      await writeFile(journalPath, bytes)

      // What must survive: the complete lines before the cut.
      // (A cut just before a newline leaves the last record whole: it counts, without a warning.)
      const wholeRecord = kind === 'cut' && journal[cut] === 0x0a
      const intact = wholeRecord ? bytes : journal.subarray(0, journal.lastIndexOf(0x0a, cut - 1) + 1)
      const reference = await tempDir('sdf-intact-')
      await writeFile(`${reference}/journal.jsonl`, intact)
      const expected = await readRunJournal(`${reference}/journal.jsonl`)

      const run = await resumeRun(workspace, `torn-${trial}`, backend(), { concurrency: 2, now: fixedClock() })
      const damaged = bytes.length > intact.length
      if (damaged) {
        expect(run.warnings.length, `trial ${trial} (${kind} at ${cut})`).toBeGreaterThan(0)
        expect(run.warnings[0]).toMatch(/journal\.jsonl:\d+: /)
      } else {
        expect(run.warnings).toEqual([])
      }
      for (const status of run.status()) {
        const journaled = expected.discussions.get(status.id)
        // A discussion with a saved file is done; every other one replays exactly its intact steps.
        if (journaled?.state === 'finished' || status.state === 'finished') continue
        expect(status.steps, `trial ${trial}: ${status.id}`).toBe(journaled?.steps.length ?? 0)
      }
      const result = await run.start()
      expect(result.finished).toHaveLength(clean.plans.length)
      for (const plan of clean.plans) {
        const again = (await workspace.discussions.get(plan.id))!
        expect(again.comments.map(withoutTimings)).toEqual(clean.discussions.get(plan.id)!.comments.map(withoutTimings))
      }
      // The journal is readable again: new records start on a fresh line after the damage.
      const reread = await readRunJournal(journalPath)
      for (const plan of clean.plans) expect(reread.discussions.get(plan.id)?.state).toBe('finished')
      counts.set(kind, (counts.get(kind) ?? 0) + 1)
    }
    console.info(`[faults] torn journal: ${[...counts].map(([kind, n]) => `${n} × ${kind}`).join(', ')}, all recovered`)
  })

  it('`sdf resume` on the tiny model names the damaged line on stderr and finishes the run', async () => {
    const modelPath = await tinyModelPath()
    const { workspace, designFile, plans } = await faultWorkspace(1)
    const run = startSdf(['run', designFile, '--workspace', workspace.root, '--run-id', 'torn', ...modelFlags(modelPath)])
    expect((await run.exited).code, run.stderr()).toBe(0)
    const journalPath = workspace.resolve('runs', 'torn', 'journal.jsonl')
    const text = await readFile(journalPath, 'utf8')
    // Keep the first half of the journal and half of the next record.
    const lines = text.split('\n')
    const half = Math.floor(lines.length / 2)
    const torn = `${lines.slice(0, half).join('\n')}\n${lines[half]!.slice(0, Math.floor(lines[half]!.length / 2))}`
    await writeFile(journalPath, torn)
    const resumed = startSdf(['resume', 'torn', '--workspace', workspace.root, ...modelFlags(modelPath)])
    const { code } = await resumed.exited
    expect(code, resumed.stderr()).toBe(0)
    expect(resumed.stderr()).toContain(`sdf: warning: ${journalPath}:${half + 1}: incomplete last record (a write was cut short); ignored`)
    expect(resumed.stderr()).toContain(`sdf: run torn: ${plans.length} finished`)
  })
})
