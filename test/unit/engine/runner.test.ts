import { readFileSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  BackendError,
  createRun,
  JournalRecordSchema,
  plansForDesign,
  readRunJournal,
  resumeRun,
  RunEventSchema,
  RunManifestSchema,
  workspaceRunLocation,
  type DiscussionPlan,
  type RunEvent,
  type Workspace
} from '../../../src/core/index.js'
import { withoutTimings } from './engineSupport.js'
import { echoReply, fixedClock, ScriptedBackend, type ScriptedBackendOptions } from './scriptedBackend.js'
import { testDesign, testWorkspace } from './workspaceSupport.js'

async function setup(replicates = 2) {
  const workspace = await testWorkspace()
  const { design, plans } = await plansForDesign(workspace, testDesign({ replicates }))
  return { workspace, design, plans }
}

function start(workspace: Workspace, plans: readonly DiscussionPlan[], backend: ScriptedBackend, runId = 'run-1', concurrency = 1) {
  return createRun({
    location: workspaceRunLocation(workspace, runId),
    plans,
    backend,
    concurrency,
    now: fixedClock(),
    provenance: { seed: 7, designId: 'pilot', parameters: { threads: 1 } }
  })
}

async function journalLines(workspace: Workspace, runId = 'run-1') {
  const text = await readFile(workspace.resolve('runs', runId, 'journal.jsonl'), 'utf8')
  return text.trimEnd().split('\n').map((line) => JournalRecordSchema.parse(JSON.parse(line)))
}

const slow = (options: ScriptedBackendOptions = {}) => new ScriptedBackend(echoReply, { chunk: 4, delayMs: 1, ...options })

describe('the runner', () => {
  it('keeps K discussions generating at once and finishes them all, saved in the workspace', async () => {
    const { workspace, plans } = await setup(2)
    expect(plans).toHaveLength(8)
    const backend = slow()
    const run = await start(workspace, plans, backend, 'run-1', 3)
    const result = await run.start()
    expect(backend.maxInFlight).toBe(3)
    expect(result.finished.map((f) => f.id)).toEqual(plans.map((p) => p.id))
    expect(result.failed).toEqual([])
    for (const { id, file } of result.finished) {
      expect(file).toBe(workspace.discussions.pathOf(id))
      const saved = await workspace.discussions.get(id)
      expect(saved).toMatchObject({ id, run_id: 'run-1', status: 'complete' })
    }
    expect(run.status().every((s) => s.state === 'finished')).toBe(true)
  })

  it('journals every step before the discussion goes on, then the finished discussion', async () => {
    const { workspace, plans } = await setup(1)
    const backend = slow()
    const run = await start(workspace, plans, backend, 'run-1', 2)
    const journalPath = workspace.resolve('runs', 'run-1', 'journal.jsonl')
    const seenAtStep: boolean[] = []
    run.subscribe((event) => {
      if (event.type === 'discussion' && event.event.type === 'step') {
        const step = event.event.step
        seenAtStep.push(readFileSync(journalPath, 'utf8').includes(`"prompt_sha256":"${step.prompt_sha256}"`))
      }
    })
    await run.start()
    expect(seenAtStep.length).toBe(backend.calls.length)
    expect(seenAtStep.every(Boolean)).toBe(true)
    const lines = await journalLines(workspace)
    expect(lines[0]).toMatchObject({ type: 'run-started', resumed: false, discussion_ids: plans.map((p) => p.id) })
    expect(lines.filter((l) => l.type === 'step')).toHaveLength(backend.calls.length)
    const finished = lines.filter((l) => l.type === 'discussion-finished')
    expect(finished.map((l) => l.discussion_id).sort()).toEqual(plans.map((p) => p.id).sort())
  })

  it('writes a provenance manifest and the plans', async () => {
    const { workspace, plans } = await setup(1)
    const run = await start(workspace, plans, slow(), 'run-1', 2)
    await run.start()
    const manifest = RunManifestSchema.parse(JSON.parse(await readFile(workspace.resolve('runs', 'run-1', 'manifest.json'), 'utf8')))
    expect(manifest).toMatchObject({
      run_id: 'run-1',
      design_id: 'pilot',
      seed: 7,
      app_version: expect.any(String),
      node_llama_cpp_version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      model: { name: 'scripted-model', sha256: null },
      discussion_ids: plans.map((p) => p.id),
      parameters: { threads: 1, concurrency: 2, reuse_agent_prefixes: true }
    })
    const summaries = manifest.parameters.discussions as { id: string; seed: number }[]
    expect(summaries.map((s) => [s.id, s.seed])).toEqual(plans.map((p) => [p.id, p.seed]))
    const saved = JSON.parse(await readFile(workspace.resolve('runs', 'run-1', 'plans.json'), 'utf8'))
    expect(saved.plans).toEqual(JSON.parse(JSON.stringify(plans)))
  })

  it('marks a failed discussion failed with its reason and lets the others finish', async () => {
    const { workspace, plans } = await setup(1)
    const broken = plans[1]!.id
    const backend = slow({ fail: (call) => (call.request.agentKey?.startsWith(`${broken}/`) ? new BackendError('invalid-output', 'gibberish') : null) })
    const events: RunEvent[] = []
    const run = await start(workspace, plans, backend, 'run-1', 2)
    run.subscribe((event) => events.push(event))
    const result = await run.start()
    expect(result.failed).toEqual([{ id: broken, reason: 'gibberish' }])
    expect(result.finished).toHaveLength(plans.length - 1)
    expect(await workspace.discussions.has(broken)).toBe(false)
    expect((await journalLines(workspace)).find((l) => l.type === 'discussion-failed')).toMatchObject({ discussion_id: broken, reason: 'gibberish', code: 'invalid-output' })
    for (const event of events) expect(RunEventSchema.safeParse(event).success).toBe(true)
    expect(events[events.length - 1]).toMatchObject({ type: 'run-finished' })
  })

  it('pauses between steps, per run and per discussion, and resumes', async () => {
    const { workspace, plans } = await setup(1)
    const backend = slow()
    const run = await start(workspace, plans, backend, 'run-1', 2)
    const firstStep = new Promise<void>((resolve) => {
      const stop = run.subscribe((event) => {
        if (event.type === 'discussion' && event.event.type === 'step') {
          run.pause()
          stop()
          resolve()
        }
      })
    })
    const done = run.start()
    await firstStep
    await new Promise((resolve) => setTimeout(resolve, 50))
    const callsWhilePaused = backend.calls.length
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(backend.calls.length).toBe(callsWhilePaused)
    expect(run.status().some((s) => s.state === 'paused')).toBe(true)

    const held = plans[0]!.id
    run.pause(held)
    run.resume()
    // Resuming the run clears every pause, the per-discussion ones too.
    await done
    expect(run.status().every((s) => s.state === 'finished')).toBe(true)
  })

  it('holds one paused discussion while the others run', async () => {
    const { workspace, plans } = await setup(1)
    const run = await start(workspace, plans, slow(), 'run-1', 2)
    const held = plans[0]!.id
    run.pause(held)
    const finishedOthers = new Promise<void>((resolve) => {
      run.subscribe(() => {
        const states = run.status()
        if (states.filter((s) => s.id !== held).every((s) => s.state === 'finished')) resolve()
      })
    })
    const done = run.start()
    await finishedOthers
    expect(run.status().find((s) => s.id === held)?.state).toBe('queued')
    run.resume(held)
    const result = await done
    expect(result.finished).toHaveLength(plans.length)
  })

  it('cancels one discussion by aborting its call in flight, and the run finishes without it', async () => {
    const { workspace, plans } = await setup(1)
    const backend = new ScriptedBackend(() => 'a long reply '.repeat(6), { chunk: 2, delayMs: 1 })
    const run = await start(workspace, plans, backend, 'run-1', 2)
    const victim = plans[0]!.id
    run.subscribe((event) => {
      if (event.type === 'discussion' && event.event.type === 'tokens' && event.event.discussion_id === victim && event.event.step === 1) run.cancel(victim)
    })
    const result = await run.start()
    expect(result.cancelled).toEqual([victim])
    expect(result.finished).toHaveLength(plans.length - 1)
    const lines = await journalLines(workspace)
    expect(lines.filter((l) => l.type === 'step' && l.discussion_id === victim).map((l) => l.type === 'step' && l.step.step)).toEqual([0])
    expect(lines.some((l) => l.type === 'discussion-cancelled' && l.discussion_id === victim)).toBe(true)
  })

  it('cancels a whole run, queued discussions included', async () => {
    const { workspace, plans } = await setup(1)
    const run = await start(workspace, plans, slow(), 'run-1', 1)
    run.subscribe((event) => {
      if (event.type === 'discussion' && event.event.type === 'step') run.cancel()
    })
    const result = await run.start()
    expect(result.cancelled).toHaveLength(plans.length)
  })
})

describe('resuming a run', () => {
  it('after a crash (torn last line, nothing marked finished) replays the journal and finishes with the same discussions', async () => {
    const { plans } = await setup(1)
    // Uninterrupted reference run.
    const reference = await testWorkspace()
    await (await start(reference, plans, new ScriptedBackend(), 'run-1', 1)).start()
    const all = (await journalLines(reference)).filter((l) => l.type === 'step')

    // The same run, "killed" after 9 steps: the journal holds them and half a tenth line.
    const workspace = await testWorkspace()
    await start(workspace, plans, new ScriptedBackend(), 'run-1', 1)
    const journalPath = workspace.resolve('runs', 'run-1', 'journal.jsonl')
    const kept = all.slice(0, 9).map((line) => JSON.stringify(line)).join('\n')
    await writeFile(journalPath, `${await readFile(journalPath, 'utf8')}${kept}\n${JSON.stringify(all[9]).slice(0, 40)}`)

    const backend = new ScriptedBackend()
    const run = await resumeRun(workspace, 'run-1', backend, { concurrency: 1 })
    expect(run.warnings).toEqual([expect.stringContaining('incomplete last record')])
    const result = await run.start()
    expect(result.finished).toHaveLength(plans.length)
    expect(backend.calls).toHaveLength(all.length - 9)
    for (const plan of plans) {
      const resumed = (await workspace.discussions.get(plan.id))!
      const expected = (await reference.discussions.get(plan.id))!
      expect(resumed.comments.map(withoutTimings)).toEqual(expected.comments.map(withoutTimings))
      expect(resumed.comments.map((c) => c.index)).toEqual(resumed.comments.map((_, i) => i))
    }
    const journal = await readRunJournal(journalPath)
    expect(journal.tornTail).toBe(false)
    for (const plan of plans) expect(journal.discussions.get(plan.id)?.state).toBe('finished')
    const manifest = JSON.parse(await readFile(workspace.resolve('runs', 'run-1', 'manifest.json'), 'utf8'))
    expect(manifest.parameters.resumes).toHaveLength(1)
  })

  it('skips finished discussions, retries failed ones and leaves cancelled ones alone', async () => {
    const { workspace, plans } = await setup(1)
    const [failing, cancelled] = [plans[0]!.id, plans[1]!.id]
    const first = new ScriptedBackend(echoReply, {
      fail: (call) => (call.request.agentKey?.startsWith(`${failing}/`) && call.request.agentKey.endsWith('moderator') ? new BackendError('server-error', 'down') : null)
    })
    const run = await start(workspace, plans, first, 'run-1', 1)
    run.cancel(cancelled)
    const result = await run.start()
    expect(result.failed.map((f) => f.id)).toEqual([failing])

    const again = new ScriptedBackend()
    const resumed = await resumeRun(workspace, 'run-1', again)
    const second = await resumed.start()
    expect(second.finished.map((f) => f.id).sort()).toEqual(plans.map((p) => p.id).filter((id) => id !== cancelled).sort())
    expect(second.cancelled).toEqual([cancelled])
    expect(new Set(again.calls.map((call) => call.request.agentKey?.split('/')[0]))).toEqual(new Set([failing]))
  })

  it('refuses to create a run twice and explains a missing run', async () => {
    const { workspace, plans } = await setup(1)
    await start(workspace, plans, new ScriptedBackend())
    await expect(start(workspace, plans, new ScriptedBackend())).rejects.toThrow(/already exists/)
    await expect(resumeRun(workspace, 'nope', new ScriptedBackend())).rejects.toThrow(/no run at .*nope/)
  })
})

describe('run ids and locations', () => {
  it('keep runs inside the workspace', async () => {
    const { workspace } = await setup(1)
    expect(() => workspaceRunLocation(workspace, '../escape')).toThrow()
    expect(workspaceRunLocation(workspace, 'r1').directory).toBe(join(workspace.root, 'runs', 'r1'))
  })
})
