import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, statfs, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  appendLinesDurably,
  createRun,
  DiscussionRun,
  JournalWriter,
  plansForDesign,
  readRunJournal,
  resumeRun,
  workspaceRunLocation,
  Workspace,
  writeFileAtomically,
  type DiscussionPlan,
  type JournalRecord
} from '../../src/core/index.js'
import { tempDir } from '../helpers/tempDir.js'
import { echoReply, fixedClock, ScriptedBackend } from '../unit/engine/scriptedBackend.js'
import { INSTRUCTIONS, PERSONAS, testDesign, TOPICS } from '../unit/engine/workspaceSupport.js'
import { FAULT_SEED, FAULT_TRIALS, journalRecords, seededRandom } from './faultSupport.js'

// A disk that fills while a run writes its journal. Two ways in: a real, tiny tmpfs (needs root to
// mount, as in this workplace's container; skipped elsewhere), and a write hook on the journal that
// fails like a full disk (ENOSPC) after a seeded number of records, which runs everywhere.

const mounted: string[] = []
afterAll(async () => {
  for (const point of mounted) {
    execFileSync('umount', ['-l', point])
    await rm(point, { recursive: true, force: true })
  }
})

/** A tmpfs of `bytes` at a fresh folder, or null where mounting is not allowed. */
async function tinyTmpfs(bytes: number): Promise<string | null> {
  const point = await mkdtemp(join(tmpdir(), 'sdf-tmpfs-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', point], { stdio: 'ignore' })
  } catch {
    return null
  }
  mounted.push(point)
  return point
}

async function libraryWorkspace(root: string, replicates: number): Promise<{ workspace: Workspace; plans: DiscussionPlan[] }> {
  const workspace = await Workspace.create(root)
  for (const persona of PERSONAS) await workspace.personas.put(persona)
  for (const topic of TOPICS) await workspace.topics.put(topic)
  for (const instruction of INSTRUCTIONS) await workspace.instructions.put(instruction)
  const { plans } = await plansForDesign(workspace, testDesign({ replicates }))
  return { workspace, plans }
}

const backend = () => new ScriptedBackend(echoReply, { chunk: 8 })

/** The resumed run finished everything, and kept every step journaled before the disk filled. */
async function expectCompleteAfterResume(workspace: Workspace, runId: string, plans: readonly DiscussionPlan[], before: JournalRecord[]) {
  const run = await resumeRun(workspace, runId, backend(), { concurrency: 2, now: fixedClock() })
  const result = await run.start()
  expect(result.failed).toEqual([])
  expect(result.finished).toHaveLength(plans.length)
  const journal = await readRunJournal(workspace.resolve('runs', runId, 'journal.jsonl'))
  for (const record of before) {
    if (record.type !== 'step') continue
    const kept = journal.discussions.get(record.discussion_id)?.steps[record.step.step]
    expect(kept).toEqual(record.step)
  }
  for (const plan of plans) {
    const discussion = await workspace.discussions.get(plan.id)
    expect(discussion?.status).toBe('complete')
    const numbers = journal.discussions.get(plan.id)!.steps.map((step) => step.step)
    expect(numbers).toEqual(numbers.map((_, position) => position))
  }
}

describe('a disk that fills mid-journal', () => {
  it('on a real 2 MiB tmpfs: the run ends (no hang), the cut discussions fail naming ENOSPC, and after space is freed resume finishes all', async (context) => {
    const point = await tinyTmpfs(2 * 1024 * 1024)
    if (!point) return context.skip('mounting a tmpfs needs root')
    const { workspace, plans } = await libraryWorkspace(join(point, 'study'), 2)
    const runId = 'full-disk'
    const run = await createRun({ location: workspaceRunLocation(workspace, runId), plans, backend: backend(), concurrency: 2, now: fixedClock(), provenance: { seed: 7 } })
    // Leave about 40 KiB: some discussions finish, then the journal or a discussion file hits the wall.
    const { bavail, bsize } = await statfs(point)
    await writeFile(join(point, 'filler'), Buffer.alloc(Math.max(0, bavail * bsize - 40 * 1024)))
    const result = await run.start()
    const reasons = result.failed.map((failure) => failure.reason)
    expect(result.failed.length).toBeGreaterThan(0)
    for (const reason of reasons) expect(reason).toMatch(/ENOSPC|no space left/i)
    expect(result.finished.length + result.failed.length).toBe(plans.length)
    // Every discussion reported finished is whole (write-file-atomic once renamed a short write into place).
    for (const { id } of result.finished) expect((await workspace.discussions.get(id))?.status).toBe('complete')
    const before = await journalRecords(workspace.resolve('runs', runId, 'journal.jsonl'))

    await rm(join(point, 'filler'))
    await expectCompleteAfterResume(workspace, runId, plans, before)
    console.info(`[faults] tmpfs full: ${result.finished.length} finished and ${result.failed.length} failed before the disk was freed; all ${plans.length} after resume`)
  })

  it('on a real tmpfs: an atomic replace that does not fit throws ENOSPC and leaves the old file whole, with no temp file', async (context) => {
    const point = await tinyTmpfs(64 * 1024)
    if (!point) return context.skip('mounting a tmpfs needs root')
    const target = join(point, 'record.json')
    await writeFileAtomically(target, '{"old":true}\n')
    const { bavail, bsize } = await statfs(point)
    await writeFile(join(point, 'filler'), Buffer.alloc(Math.max(0, bavail * bsize - 12 * 1024)))
    await expect(writeFileAtomically(target, `${JSON.stringify({ text: 'x'.repeat(40_000) })}\n`)).rejects.toMatchObject({ code: 'ENOSPC' })
    expect(await readFile(target, 'utf8')).toBe('{"old":true}\n')
    expect((await readdir(point)).sort()).toEqual(['filler', 'record.json'])
    // And an append that does not fit throws rather than leaving a short line reported as durable.
    await expect(appendLinesDurably(join(point, 'journal.jsonl'), ['y'.repeat(40_000)])).rejects.toMatchObject({ code: 'ENOSPC' })
  })

  it(`through a write hook, at ${FAULT_TRIALS * 2} seeded record counts: the same`, async () => {
    const random = seededRandom(FAULT_SEED + 1)
    for (let trial = 0; trial < FAULT_TRIALS * 2; trial++) {
      const root = await tempDir('sdf-enospc-')
      const { workspace, plans } = await libraryWorkspace(join(root, 'study'), 1)
      const runId = `hook-${trial}`
      const location = workspaceRunLocation(workspace, runId)
      await mkdir(location.directory, { recursive: true })
      const journalPath = join(location.directory, 'journal.jsonl')
      // createRun first, for the plans and manifest; its own writer is then swapped for the hooked one.
      await createRun({ location, plans, backend: backend(), concurrency: 2, now: fixedClock(), provenance: { seed: 7 } })
      const failAfter = 1 + Math.floor(random() * 20)
      const hooked = new DiskFullAfter(journalPath, failAfter)
      const run = new DiscussionRun({ location, journal: hooked, plans, backend: backend(), concurrency: 2, now: fixedClock() })
      const result = await run.start()
      expect(result.finished.length + result.failed.length).toBe(plans.length)
      for (const failure of result.failed) expect(failure.reason).toMatch(/ENOSPC/)
      const before = await journalRecords(journalPath)
      expect(before.filter((record) => record.type === 'step').length).toBeLessThanOrEqual(failAfter)
      await expectCompleteAfterResume(workspace, runId, plans, before)
    }
  })
})

/** A journal whose disk is full after `capacity` records: every later append fails as fs does. */
class DiskFullAfter extends JournalWriter {
  private written = 0
  constructor(
    path: string,
    private readonly capacity: number
  ) {
    super(path)
  }

  override append(record: JournalRecord): Promise<void> {
    if (this.written >= this.capacity) {
      const error = new Error(`ENOSPC: no space left on device, write '${this.path}'`) as NodeJS.ErrnoException
      error.code = 'ENOSPC'
      return Promise.reject(error)
    }
    this.written += 1
    return super.append(record)
  }
}

