import { spawn } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createLlamaCppBackend,
  createRun,
  plansForDesign,
  readRunJournal,
  resumeRun,
  runDiscussion,
  workspaceRunLocation,
  type Discussion,
  type DiscussionPlan,
  type LlamaCppBackend,
  type Workspace
} from '../../../src/core/index.js'
import { REPO_ROOT } from '../../helpers/fixtures.js'
import { runSdf } from '../../helpers/runCli.js'
import { loadTestLlama, TEST_THREADS, tinyModelPath } from '../../helpers/testModel.js'
import { collect, withoutTimings } from '../../unit/engine/engineSupport.js'
import { testDesign, testWorkspace } from '../../unit/engine/workspaceSupport.js'

// Random weights: assert on structure, counts and equality between runs, never on content.
//
// On bit-exactness: llama.cpp's CPU kernels can round a token's KV values differently depending on
// how many prompt tokens share its batch. The random model's near-flat distributions turn any such
// last-bit difference into other text. The backend therefore evaluates prompts in chunks aligned to
// multiples of the batch size and reuses a cached prefix only in whole aligned chunks (prefixReuse
// 'aligned', the default), which makes every reply independent of what the cache held: a resumed
// run equals an uninterrupted one at any batch size. The CLI children use the same context shape
// as the in-process backends.
const CONTEXT_SIZE = 1024
const SEQUENCES = 4
const TOKEN_BY_TOKEN = 1
/** Smaller than the prompts, so that chunk-aligned prefix reuse actually reuses something. */
const SMALL_BATCH = 16

let modelPath: string
let backend: LlamaCppBackend
let exact: LlamaCppBackend

async function makeBackend(sequences = SEQUENCES, batchSize?: number): Promise<LlamaCppBackend> {
  return createLlamaCppBackend({
    modelPath,
    llama: await loadTestLlama(),
    threads: TEST_THREADS,
    contextSize: CONTEXT_SIZE,
    sequences,
    ...(batchSize === undefined ? {} : { batchSize })
  })
}

beforeAll(async () => {
  modelPath = await tinyModelPath()
  backend = await makeBackend()
  exact = await makeBackend(SEQUENCES, TOKEN_BY_TOKEN)
})

afterAll(async () => {
  await backend?.dispose()
  await exact?.dispose()
})

async function workspaceWithDesign(replicates: number, maxTokens = 12): Promise<{ workspace: Workspace; plans: DiscussionPlan[]; designFile: string }> {
  const design = testDesign({ replicates, discussion: { conv_len: 4, history_ctx_len: 3, max_tokens: maxTokens } })
  const workspace = await testWorkspace(design)
  const designFile = join(workspace.root, 'design.json')
  await writeFile(designFile, JSON.stringify(design))
  return { workspace, designFile, ...(await plansForDesign(workspace, design)) }
}

async function runInProcess(workspace: Workspace, plans: readonly DiscussionPlan[], runId: string, concurrency: number, on = backend) {
  const run = await createRun({ location: workspaceRunLocation(workspace, runId), plans, backend: on, concurrency, provenance: { seed: 7, modelPath } })
  return run.start()
}

async function finish(events: ReturnType<typeof runDiscussion>): Promise<Discussion> {
  const all = await collect(events)
  const last = all[all.length - 1]
  if (last?.type !== 'discussion-done') throw new Error(`did not finish: ${JSON.stringify(last)}`)
  return last.discussion
}

function comparable(discussion: Discussion) {
  return discussion.comments.map(withoutTimings)
}

/** Starts `sdf run` in a child process and SIGKILLs it once its journal holds `steps` steps. */
async function killMidRun(workspace: Workspace, designFile: string, runId: string, concurrency: number, steps: number, extra: string[] = []): Promise<number> {
  const child = spawn(
    process.execPath,
    [
      join(REPO_ROOT, 'bin', 'sdf'), 'run', designFile, '--workspace', workspace.root, '--model', modelPath,
      '--threads', String(TEST_THREADS), '--concurrency', String(concurrency), '--context-size', String(CONTEXT_SIZE), '--run-id', runId,
      ...extra
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] }
  )
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const journal = workspace.resolve('runs', runId, 'journal.jsonl')
  const deadline = Date.now() + 60_000
  for (;;) {
    const text = await readFile(journal, 'utf8').catch(() => '')
    const count = text.split('\n').filter((line) => line.includes('"type":"step"')).length
    if (count >= steps) {
      child.kill('SIGKILL')
      await exited
      return count
    }
    if (child.exitCode !== null) throw new Error(`sdf run ended (${child.exitCode}) before it was killed: ${stderr}`)
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`no ${steps} journaled steps within a minute: ${stderr}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('discussions on the tiny model', () => {
  it('identical seeds give identical discussions (K=1) on fresh backends', async () => {
    const { plans } = await workspaceWithDesign(1)
    const discussions = []
    for (const reuseAgentPrefixes of [true, false]) {
      const fresh = await makeBackend()
      discussions.push(await finish(runDiscussion(plans[0]!, fresh, { reuseAgentPrefixes })))
      await fresh.dispose()
    }
    expect(comparable(discussions[1]!)).toEqual(comparable(discussions[0]!))
    for (const comment of discussions[0]!.comments.filter((c) => c.role !== 'seed')) {
      expect(comment.model).toBe(backend.modelName)
      expect(comment.timings?.prompt_tokens).toBeGreaterThan(0)
    }
  })

  it('and on a backend whose cache holds earlier turns, when it evaluates prompts token by token', async () => {
    const { plans } = await workspaceWithDesign(1)
    const first = await finish(runDiscussion(plans[0]!, exact))
    const second = await finish(runDiscussion(plans[0]!, exact))
    expect(comparable(second)).toEqual(comparable(first))
    // The second run reused the agents' cached prefixes and still said the same.
    expect(second.comments.some((c) => (c.timings?.reused_prompt_tokens ?? 0) > 1)).toBe(true)
  })

  it('and on a backend whose cache holds earlier turns at a batch size the prompts exceed, reusing aligned prefixes', async () => {
    const { plans } = await workspaceWithDesign(1)
    const fresh = await makeBackend(SEQUENCES, 16)
    const reference = await finish(runDiscussion(plans[0]!, fresh))
    await fresh.dispose()
    const cached = await makeBackend(SEQUENCES, 16)
    await finish(runDiscussion(plans[1]!, cached))
    const again = await finish(runDiscussion(plans[0]!, cached))
    await cached.dispose()
    expect(comparable(again)).toEqual(comparable(reference))
    // Only whole chunks of 16 from the cache were kept.
    const reused = again.comments.map((c) => c.timings?.reused_prompt_tokens ?? 0)
    expect(reused.some((n) => n >= 16)).toBe(true)
    for (const n of reused) expect(n % 16).toBe(0)
  })

  it('the runner keeps 4 discussions going at once and finishes all of them', async () => {
    const { workspace, plans } = await workspaceWithDesign(2)
    const wide = await makeBackend(16)
    const result = await runInProcess(workspace, plans, 'k4', 4, wide)
    await wide.dispose()
    expect(result.failed).toEqual([])
    expect(result.finished).toHaveLength(plans.length)
    for (const plan of plans) {
      const discussion = await workspace.discussions.get(plan.id)
      expect(discussion?.status).toBe('complete')
    }
  })

  it('a run killed with SIGKILL mid-way resumes to completion with every step and comment exactly once', async () => {
    const { workspace, designFile, plans } = await workspaceWithDesign(2)
    const killedAt = await killMidRun(workspace, designFile, 'killed', 2, 10)
    const run = await resumeRun(workspace, 'killed', backend, { concurrency: 2 })
    const result = await run.start()
    expect(result.finished).toHaveLength(plans.length)
    const journal = await readRunJournal(workspace.resolve('runs', 'killed', 'journal.jsonl'))
    const text = await readFile(workspace.resolve('runs', 'killed', 'journal.jsonl'), 'utf8')
    let steps = 0
    for (const plan of plans) {
      const journaled = journal.discussions.get(plan.id)!
      expect(journaled.state).toBe('finished')
      const stepLines = text.split('\n').filter((line) => line.includes(`"discussion_id":"${plan.id}"`) && line.includes('"type":"step"'))
      // No step was journaled twice: replayed steps are not written again.
      expect(stepLines).toHaveLength(journaled.steps.length)
      steps += journaled.steps.length
      const discussion = (await workspace.discussions.get(plan.id))!
      expect(discussion.comments.map((c) => c.index)).toEqual(discussion.comments.map((_, i) => i))
      const made = discussion.comments.filter((c) => c.role !== 'seed').map((c) => `${c.seed}`)
      expect(new Set(made).size).toBe(made.length)
    }
    expect(steps).toBeGreaterThan(killedAt)
  })

  it('`sdf resume` after a kill at K=1 gives the same discussions as an uninterrupted run, at the default batch size', async () => {
    const { workspace, designFile, plans } = await workspaceWithDesign(1)
    await killMidRun(workspace, designFile, 'interrupted-batched', 1, 7)
    const resumed = await runSdf([
      'resume', 'interrupted-batched', '--workspace', workspace.root, '--model', modelPath, '--threads', '1', '--context-size', String(CONTEXT_SIZE)
    ])
    expect(resumed.code, resumed.stderr).toBe(0)

    const reference = await testWorkspace()
    const fresh = await makeBackend()
    await runInProcess(reference, plans, 'reference', 1, fresh)
    await fresh.dispose()
    for (const plan of plans) {
      const expected = (await reference.discussions.get(plan.id))!
      const actual = (await workspace.discussions.get(plan.id))!
      expect(comparable(actual)).toEqual(comparable(expected))
    }
  })

  it('`sdf resume` after a kill at K=1 gives the same discussions as an uninterrupted run, also where cached prefixes are reused (batch size 16)', async () => {
    const { workspace, designFile, plans } = await workspaceWithDesign(1)
    await killMidRun(workspace, designFile, 'interrupted', 1, 7, ['--batch-size', String(SMALL_BATCH)])
    const resumed = await runSdf([
      'resume', 'interrupted', '--workspace', workspace.root, '--model', modelPath, '--threads', '1',
      '--context-size', String(CONTEXT_SIZE), '--batch-size', String(SMALL_BATCH)
    ])
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(resumed.stdout).toMatch(/^Run interrupted: \d of 4 discussions already done, continuing the rest$/m)
    expect(resumed.stderr).toContain(`sdf: run interrupted: ${plans.length} finished`)

    const reference = await testWorkspace()
    const fresh = await makeBackend(SEQUENCES, SMALL_BATCH)
    await runInProcess(reference, plans, 'reference', 1, fresh)
    await fresh.dispose()
    for (const plan of plans) {
      const expected = (await reference.discussions.get(plan.id))!
      const actual = (await workspace.discussions.get(plan.id))!
      expect(comparable(actual)).toEqual(comparable(expected))
    }
    // The prompts exceed a batch of 16, so the resumed session did reuse whole aligned chunks.
    const reused = []
    for (const plan of plans) reused.push(...(await workspace.discussions.get(plan.id))!.comments.map((c) => c.timings?.reused_prompt_tokens ?? 0))
    expect(reused.some((n) => n >= SMALL_BATCH)).toBe(true)
  })
})
