import { spawn, type ChildProcess } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { JournalRecordSchema, plansForDesign, type DiscussionPlan, type JournalRecord, type Workspace } from '../../src/core/index.js'
import { REPO_ROOT } from '../helpers/fixtures.js'
import { TEST_THREADS } from '../helpers/testModel.js'
import { testDesign, testWorkspace } from '../unit/engine/workspaceSupport.js'

/**
 * Trials per fault, from `SDF_FAULT_TRIALS` (default 5: the suite stays within a few minutes on two
 * cores). A seed from `SDF_FAULT_SEED` (default 20261127) makes every kill point repeatable.
 */
export const FAULT_TRIALS = positiveEnv('SDF_FAULT_TRIALS', 5)
export const FAULT_SEED = positiveEnv('SDF_FAULT_SEED', 20261127)

/** Context per sequence for the tiny model in every child: small, so loading is quick. */
export const CONTEXT_SIZE = 512

function positiveEnv(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number >= 1, got "${raw}"`)
  return value
}

/** mulberry32: a tiny seeded generator, so a failing trial can be rerun from its seed alone. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A workspace holding the test library and a short design (4 × replicates discussions) as a file. */
export async function faultWorkspace(
  replicates: number,
  discussion = { conv_len: 3, history_ctx_len: 2, max_tokens: 6 }
): Promise<{ workspace: Workspace; plans: DiscussionPlan[]; designFile: string }> {
  const design = testDesign({ replicates, discussion })
  const workspace = await testWorkspace(design)
  const designFile = join(workspace.root, 'design.json')
  await writeFile(designFile, JSON.stringify(design))
  return { workspace, designFile, ...(await plansForDesign(workspace, design)) }
}

export interface Child {
  process: ChildProcess
  stdout(): string
  stderr(): string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** Starts the real `bin/sdf` in a child process. */
export function startSdf(args: readonly string[], env: NodeJS.ProcessEnv = {}): Child {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'sdf'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal }))
  )
  return { process: child, stdout: () => stdout, stderr: () => stderr, exited }
}

/** `sdf run` / `sdf resume` flags for the tiny model on one thread. */
export function modelFlags(modelPath: string, concurrency = 1): string[] {
  return ['--model', modelPath, '--threads', String(TEST_THREADS), '--concurrency', String(concurrency), '--context-size', String(CONTEXT_SIZE), '--gpu', 'cpu']
}

/** The journal's complete lines, parsed (a torn tail is left out, as the runner does). */
export async function journalRecords(path: string): Promise<JournalRecord[]> {
  const text = await readFile(path, 'utf8').catch(() => '')
  const records: JournalRecord[] = []
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    try {
      records.push(JournalRecordSchema.parse(JSON.parse(line)))
    } catch {
      // A torn or damaged line: the reader reports it; here it is simply not a completed record.
    }
  }
  return records
}

/** Waits until `ready()` holds, polling; throws with `why()` after `timeoutMs`. */
export async function waitFor(ready: () => Promise<boolean>, timeoutMs: number, why: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${why()}`)
    await new Promise((resolve) => setTimeout(resolve, 15))
  }
}
