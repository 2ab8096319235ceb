import { spawn } from 'node:child_process'
import { copyFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseSourceFile, sdfV0SystemPrompt, type Discussion, type DiscussionConfig } from '../../../src/core/index.js'
import { HAVE_SDF_EXAMPLES, REPO_ROOT, SDF_EXAMPLES, SDF_FIXTURES } from '../../helpers/fixtures.js'
import { runSdf } from '../../helpers/runCli.js'
import { tempDir } from '../../helpers/tempDir.js'
import { tinyModelPath } from '../../helpers/testModel.js'

const MODULAR = join(SDF_EXAMPLES, 'synthetic_moderation_experiments@78ca070a', 'data', 'discussions_input', 'modular_configurations')
const FIXTURE_INPUT = join(SDF_FIXTURES, 'v0', 'discussions_input', 'generated', '3f2b8c1d-0e4a-4c6b-9d7e-8a1b2c3d4e5f.json')
const OUTPUT_NAME = /^\d{2}(-\d{2}){5}-(.+)\.json$/

let model: string
let generated: string

beforeAll(async () => {
  model = await tinyModelPath()
  generated = await inputFolder(3)
})

afterAll(async () => {
  await rm(join(generated, '..'), { recursive: true, force: true })
})

/** The SDF flags every call here passes: small replies, one thread, CPU. */
const sdfFlags = (output: string): string[] => [
  '--output_dir', output,
  '--model_path', model,
  '--max_tokens', '16',
  '--ctx_width_tokens', '1024',
  '--inference_threads', '1',
  '--gpu_layers', '0'
]

async function outputs(dir: string): Promise<{ name: string; input: string; discussion: Omit<Discussion, 'source'>; json: Record<string, unknown> }[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort()
  return Promise.all(
    names.map(async (name) => {
      const text = await readFile(join(dir, name), 'utf8')
      const parsed = parseSourceFile({ path: name, text, sha256: '' })
      if (!('kind' in parsed) || parsed.kind !== 'discussion') throw new Error(`${name} does not read back as a discussion`)
      return { name, input: OUTPUT_NAME.exec(name)?.[2] ?? '', discussion: parsed.discussion, json: JSON.parse(text) as Record<string, unknown> }
    })
  )
}

async function readConfig(path: string): Promise<Omit<DiscussionConfig, 'id' | 'source'>> {
  const parsed = parseSourceFile({ path, text: await readFile(path, 'utf8'), sha256: '' })
  if (!('kind' in parsed) || parsed.kind !== 'discussion-config') throw new Error(`${path} is not a config`)
  return parsed.config
}

/** Inputs from `sdf generate-conv-configs` on SDF's own example files, or the fixture when those are absent. */
async function inputFolder(count: number): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'sdf-inputs-')), 'generated')
  if (!HAVE_SDF_EXAMPLES) {
    await mkdir(dir, { recursive: true })
    await copyFile(FIXTURE_INPUT, join(dir, basename(FIXTURE_INPUT)))
    return dir
  }
  const made = await runSdf([
    'generate-conv-configs', '--output_dir', dir,
    '--persona_dir', join(MODULAR, 'personas'),
    '--topics_dir', join(MODULAR, 'topics'),
    '--configs_path', join(MODULAR, 'other_configs', 'standard_multi_user.json'),
    '--user_instruction_path', join(MODULAR, 'user_instructions', 'vanilla.txt'),
    '--mod_instruction_path', join(MODULAR, 'mod_instructions', 'collective_constitution.txt'),
    '--num_generated_files', String(count), '--num_users', '3', '--seed', '1'
  ])
  expect(made.code, made.stderr).toBe(0)
  return dir
}

describe('sdf generate-conversations on the tiny model', () => {
  it('turns generated LLMConvData files into SDF conversations, K at a time, reporting a bad input without stopping', async () => {
    const inputs = join(await tempDir(), 'inputs')
    await cp(generated, inputs, { recursive: true })
    const configs = (await readdir(inputs)).sort()
    await writeFile(join(inputs, 'zz-broken.json'), '{"context": "no users here"')
    const out = join(await tempDir(), 'out')
    const run = await runSdf([
      'generate-conversations', '--input_dir', inputs, ...sdfFlags(out),
      '--random_seed', '7', '--concurrency', '2', '--model_name', 'tiny', '--type', 'llama'
    ])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('zz-broken.json')
    expect(run.stderr).toMatch(/1 of \d+ input file\(s\) failed/)
    expect(run.stdout.startsWith('Loading LLM...\nModel loaded.\n')).toBe(true)
    expect(run.stdout.match(/^Beginning conversation\.\.\.$/gm)).toHaveLength(configs.length)
    expect(run.stdout.match(/^Conversation saved to {2}\S+\.json$/gm)).toHaveLength(configs.length)

    const written = await outputs(out)
    expect(written.map((file) => file.input).sort()).toEqual(configs.map((name) => name.replace(/\.json$/, '')))
    for (const file of written) {
      const config = await readConfig(join(inputs, `${file.input}.json`))
      expect(file.json).toMatchObject({ id: file.discussion.id, users: config.participants.map((p) => p.username), moderator: 'moderator' })
      expect(file.json.user_prompts).toEqual(
        config.participants.map((p) =>
          sdfV0SystemPrompt({ name: p.username, attributes: p.attributes, context: config.context, instructions: config.user_instructions })
        )
      )
      const comments = file.discussion.comments
      expect(comments.length).toBeGreaterThan(0)
      for (const comment of comments) expect(comment.model).toBe('tiny')
      expect(comments.filter((c) => c.role === 'user').length).toBeLessThanOrEqual(config.conv_len)
    }
  })

  it("repeats a discussion exactly with the same --random_seed, however the flags are spelled, and --resume skips what exists", async () => {
    const out = join(await tempDir(), 'out')
    const args = ['generate-conversations', '--input_file', FIXTURE_INPUT, ...sdfFlags(out), '--random_seed', '3']
    const first = await runSdf(args)
    expect(first.code, first.stderr).toBe(0)
    // argparse accepted any unique prefix, also in --flag=value form.
    const again = await runSdf([
      'generate-conversations', `--input_f=${FIXTURE_INPUT}`, '--output', out, '--model_p', model,
      '--max', '16', '--ctx', '1024', '--random', '3', '--inference', '1', '--gpu', '0'
    ])
    expect(again.code, again.stderr).toBe(0)
    const [a, b] = await outputs(out)
    // Two files: SDF's minute-resolution names overwrote each other, these never do.
    expect(a!.name).not.toBe(b!.name)
    expect(a!.json.logs).toEqual(b!.json.logs)

    const resumed = await runSdf([...args, '--resume'])
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(resumed.stdout).toMatch(/^Skipping .*3f2b8c1d-0e4a-4c6b-9d7e-8a1b2c3d4e5f\.json: already generated /m)
    expect(resumed.stdout).not.toContain('Loading LLM...')
    expect(await outputs(out)).toHaveLength(2)
  })

  it('--resume continues runs killed mid-way; every input ends with exactly one output', async () => {
    const inputs = generated
    const out = join(await tempDir(), 'out')
    const args = ['generate-conversations', '--input_dir', inputs, ...sdfFlags(out), '--random_seed', '5']
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'sdf'), ...args], { cwd: REPO_ROOT, stdio: 'ignore' })
    const exited = new Promise((resolve) => child.on('exit', resolve))
    for (;;) {
      const runs = await readdir(join(out, '.sdf-run')).catch(() => [] as string[])
      const journal = runs[0] ? await readFile(join(out, '.sdf-run', runs[0], 'journal.jsonl'), 'utf8').catch(() => '') : ''
      if (journal.split('"type":"step"').length > 12) break
      if (child.exitCode !== null) throw new Error('generate-conversations finished before it could be killed')
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    child.kill('SIGKILL')
    await exited
    const resumed = await runSdf([...args, '--resume'])
    expect(resumed.code, resumed.stderr).toBe(0)
    const inputNames = (await readdir(inputs)).map((name) => name.replace(/\.json$/, '')).sort()
    expect((await outputs(out)).map((file) => file.input).sort()).toEqual(inputNames)
  })
})
