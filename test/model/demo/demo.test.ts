import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  DEMO_MODEL_FILE_NAME,
  ensureDemoModel,
  LlamaCppBackend,
  ModelSlot,
  runDemo,
  Workspace,
  type DemoProgress
} from '../../../src/core/index.js'
import { runSdf } from '../../helpers/runCli.js'
import { tempDir } from '../../helpers/tempDir.js'
import { loadTestLlama, TEST_THREADS } from '../../helpers/testModel.js'

// Random weights: assert on structure and counts, never on content.
describe('the demo on the tiny demo model', () => {
  it('runs end to end: starter library, demo model, 4 discussions, annotations and chart-ready files', async () => {
    const root = await tempDir('sdf-demo-')
    const workspace = await Workspace.open(join(root, 'study'), { create: true })
    const progress: DemoProgress[] = []
    const result = await runDemo({
      workspace,
      modelsFolder: join(root, 'models'),
      threads: TEST_THREADS,
      concurrency: 2,
      llama: loadTestLlama,
      onProgress: (step) => progress.push(step)
    })
    expect(result.run.failed).toEqual([])
    expect(result.run.finished).toHaveLength(4)
    expect(result.discussionIds).toHaveLength(4)
    expect(result.modelPath).toBe(join(root, 'models', DEMO_MODEL_FILE_NAME))
    expect(result.notice).toMatch(/meaningless text/)
    expect(progress.map((step) => step.stage)).toEqual(expect.arrayContaining(['prepare', 'model', 'run', 'annotate', 'analyse', 'done']))
    expect(progress.find((step) => step.stage === 'model')?.message).toMatch(/meaningless text/)

    expect(await workspace.personas.has('example-persona-grumpy-gus')).toBe(true)
    const discussion = await workspace.discussions.get(result.discussionIds[0]!)
    expect(discussion?.comments.length).toBeGreaterThan(0)
    expect(result.annotation.discussions).toBe(4)
    expect(result.annotation.annotationsWritten).toBeGreaterThan(0)

    expect(result.analysis.files).toEqual(['exports/demo/analysis.json', 'exports/demo/toxicity-by-turn.csv'])
    const saved = JSON.parse(await readFile(join(workspace.root, 'exports', 'demo', 'analysis.json'), 'utf8'))
    expect(saved.notice).toMatch(/meaningless text/)
    expect(saved.byTurn.label).toBe('toxicity')
    const csv = await readFile(join(workspace.root, 'exports', 'demo', 'toxicity-by-turn.csv'), 'utf8')
    expect(csv.split('\n')[0]).toBe('group,user_turn,mean,sd,ci_low,ci_high,n')
  }, 240_000)

  it('loads the demo model through the host model slot (llama.cpp) and reports it', async () => {
    const folder = await tempDir('sdf-demo-models-')
    const { path } = await ensureDemoModel(folder)
    const slot = new ModelSlot({ threads: TEST_THREADS, sequences: 1, llama: loadTestLlama })
    try {
      const status = await slot.load({ path, contextSize: 512, gpuLayers: 0 })
      expect(status).toMatchObject({ fileName: DEMO_MODEL_FILE_NAME, isDemo: true, contextSize: 512, sequences: 1, backend: 'llama.cpp', gpu: false })
      // Runs record the model's path, hash and GPU only for llama.cpp backends: the slot's stand-in must still be one.
      expect(slot.backend()).toBeInstanceOf(LlamaCppBackend)
      expect((slot.backend() as LlamaCppBackend).info.modelPath).toBe(path)
      const reply = await slot.backend()!.generate({ messages: [{ role: 'user', content: 'Hi' }], maxTokens: 4, sampling: { seed: 1 } })
      expect(reply.stats.generatedTokens).toBeGreaterThan(0)
      await slot.unload()
      expect(slot.status()).toBeNull()
    } finally {
      await slot.close()
    }
  }, 120_000)
})

describe('sdf demo', () => {
  it('prints progress, where the results are, and that the demo model writes meaningless text', async () => {
    const root = await tempDir('sdf-demo-cli-')
    const run = await runSdf(['demo', '--workspace', join(root, 'study'), '--threads', '1', '--concurrency', '1'])
    expect(run.stderr).toMatch(/sdf demo: Running 4 discussions/)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/Demo finished in .*study/)
    expect(run.stdout).toMatch(/chart data +exports\/demo\/analysis.json, exports\/demo\/toxicity-by-turn.csv/)
    expect(run.stdout).toMatch(/NOTE: .*meaningless text/)
    await expect(readFile(join(root, 'study', 'exports', 'demo', 'toxicity-by-turn.csv'), 'utf8')).resolves.toMatch(/^group,user_turn/)
  }, 240_000)
})
