import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { main } from '../../../src/cli/main.js'
import { SDF_FIXTURES } from '../../helpers/fixtures.js'
import { tempDir } from '../../helpers/tempDir.js'
import { testDesign, testWorkspace } from './workspaceSupport.js'

/** Runs `sdf` in this process, capturing its output. Every case here fails before any model loads. */
async function sdf(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true))
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true))
  try {
    return { code: await main(args), stdout, stderr }
  } finally {
    out.mockRestore()
    err.mockRestore()
  }
}

const FIXTURE_INPUT = join(SDF_FIXTURES, 'v0', 'discussions_input', 'generated', '3f2b8c1d-0e4a-4c6b-9d7e-8a1b2c3d4e5f.json')

describe('sdf run and sdf resume, before a model is involved', () => {
  it('explain a design that is neither a file nor in the workspace', async () => {
    const workspace = await testWorkspace()
    const run = await sdf(['run', 'no-such-design', '--workspace', workspace.root, '--model', 'm.gguf'])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/no-such-design is neither a design file nor a design in the workspace/)
  })

  it('name the invalid fields of a design file, and the records a design lacks', async () => {
    const workspace = await testWorkspace()
    const bad = join(workspace.root, 'bad.json')
    await writeFile(bad, JSON.stringify({ id: 'x', name: 'x' }))
    expect((await sdf(['run', bad, '--workspace', workspace.root, '--model', 'm.gguf'])).stderr).toMatch(/bad\.json: not a valid design: field seed/)

    const lacking = join(workspace.root, 'lacking.json')
    await writeFile(lacking, JSON.stringify(testDesign({ factors: { ...testDesign().factors, topics: ['nowhere'] } })))
    const run = await sdf(['run', lacking, '--workspace', workspace.root, '--model', 'm.gguf'])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/design pilot: topics not in the workspace: nowhere/)
  })

  it('report a missing model file by its flag', async () => {
    const workspace = await testWorkspace(testDesign())
    const run = await sdf(['run', 'pilot', '--workspace', workspace.root, '--model', join(workspace.root, 'missing.gguf')])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^sdf: error: --model: .*missing\.gguf/m)
  })

  it('report an unknown run before loading the model', async () => {
    const workspace = await testWorkspace()
    const run = await sdf(['resume', 'nope', '--workspace', workspace.root, '--model', 'missing.gguf'])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/no run at .*runs\/nope .*runs are listed in/)
  })
})

describe('sdf generate-conversations, before a model is involved', () => {
  it('needs exactly one of --input_file and --input_dir', async () => {
    const out = await tempDir()
    const neither = await sdf(['generate-conversations', '--output_dir', out, '--model_path', 'm.gguf'])
    expect(neither).toMatchObject({ code: 1, stderr: expect.stringMatching(/exactly one of the arguments --input_file --input_dir is required/) })
    const both = await sdf(['generate-conversations', '--input_file', FIXTURE_INPUT, '--input_dir', out, '--output_dir', out, '--model_path', 'm.gguf'])
    expect(both.code).toBe(1)
  })

  it('reports every unreadable input and exits 1 without loading the model when none is usable', async () => {
    const inputs = await tempDir()
    await writeFile(join(inputs, 'a.json'), 'not json')
    await writeFile(join(inputs, 'b.json'), JSON.stringify({ username: 'Ann', age: 3 }))
    await writeFile(
      join(inputs, 'c.json'),
      JSON.stringify({ context: 'c', user_names: ['A'], user_attributes: [[]], user_instructions: 'i', turn_manager_type: 'round robin' })
    )
    const run = await sdf(['generate-conversations', '--input_dir', inputs, '--output_dir', join(inputs, 'out'), '--model_path', 'm.gguf'])
    expect(run.code).toBe(1)
    expect(run.stdout).not.toContain('Loading LLM...')
    expect(run.stderr).toMatch(/a\.json: /)
    expect(run.stderr).toMatch(/b\.json: not an LLMConvData discussion input \(it reads as [a-z0-9.-]+-persona\)/)
    expect(run.stderr).toMatch(/c\.json: There is no turn manager option called round robin/)
    expect(run.stderr).toMatch(/3 of 3 input file\(s\) failed/)
  })

  it('refuses an ambiguous prefix as argparse did, and the transformers library', async () => {
    const out = await tempDir()
    const ambiguous = await sdf(['generate-conversations', '--input', FIXTURE_INPUT, '--output_dir', out, '--model_path', 'm.gguf'])
    expect(ambiguous.code).not.toBe(0)
    expect(ambiguous.stderr).toMatch(/ambiguous option: --input could match --input_file, --input_dir/)
    const transformers = await sdf(['generate-conversations', '--input_file', FIXTURE_INPUT, '--output_dir', out, '--model_path', 'm.gguf', '--type', 'transformers'])
    expect(transformers).toMatchObject({ code: 1, stderr: expect.stringMatching(/--type transformers is not available/) })
  })

  it('reports a missing model file by its flag, after reading the inputs', async () => {
    const out = await tempDir()
    const run = await sdf(['generate-conversations', '--input_file', FIXTURE_INPUT, '--output_dir', out, '--model_path', join(out, 'nope.gguf')])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/sdf: error: --model_path: .*nope\.gguf/)
  })

  it("lists SDF's flags in its help", async () => {
    const help = await sdf(['generate-conversations', '--help'])
    for (const flag of ['--input_file', '--input_dir', '--output_dir', '--model_path', '--max_tokens', '--ctx_width_tokens', '--random_seed', '--inference_threads', '--gpu_layers', '--model_name', '--concurrency', '--resume']) {
      expect(help.stdout).toContain(flag)
    }
  })
})
