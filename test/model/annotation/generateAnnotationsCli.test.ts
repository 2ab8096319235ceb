import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseSourceFile } from '../../../src/core/index.js'
import { SDF_FIXTURES } from '../../helpers/fixtures.js'
import { runSdf } from '../../helpers/runCli.js'
import { tempDir } from '../../helpers/tempDir.js'
import { tinyModelPath } from '../../helpers/testModel.js'

describe('sdf generate-annotations', () => {
  it('annotates a folder of SDF conversations with an SDF annotator config, writing files SDF reads', async () => {
    const work = await tempDir()
    const configs = join(work, 'configs')
    const made = await runSdf([
      'generate-annotation-configs',
      '--output_dir', configs,
      '--persona_dir', join(SDF_FIXTURES, 'v0', 'discussions_input', 'personas'),
      '--instruction_path', join(SDF_FIXTURES, 'v0', 'annotation_input', 'instructions', 'toxicity.txt'),
      '--seed', '1'
    ])
    expect(made.code, made.stderr).toBe(0)
    const [config] = await readdir(configs)
    const out = join(work, 'out')
    const conversations = join(SDF_FIXTURES, 'v0', 'discussions_output', 'collective_constitution')
    const run = await runSdf([
      'generate-annotations',
      '--prompt_input', join(configs, config!), // an argparse-style prefix, as SDF accepted
      '--conv_dir', conversations,
      '--output_dir', out,
      '--model_path', await tinyModelPath(),
      '--max_tokens', '8',
      '--inference_threads', '1',
      '--gpu_layers', '0'
    ])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/Conversation saved to /)
    const [written] = await readdir(out)
    const text = await readFile(join(out, written!), 'utf8')
    const data = JSON.parse(text)
    expect(Object.keys(data)).toEqual(
      expect.arrayContaining(['conv_id', 'timestamp', 'annotator_model', 'annotator_prompt', 'ctx_length', 'logs'])
    )
    expect(data.annotator_prompt).toMatch(/^You are {2}/) // SDF's empty annotator name: a double space
    const parsed = parseSourceFile({ path: written!, text, sha256: '0'.repeat(64) })
    expect(parsed).toMatchObject({ kind: 'annotations', discussionId: data.conv_id })
    // The fixture has moderator comments; they are left out by role (include_mod_comments defaults to false).
    const source = JSON.parse(await readFile(join(conversations, (await readdir(conversations))[0]!), 'utf8'))
    const userMessages = source.logs.filter(([name]: [string]) => name !== source.moderator)
    expect(data.logs).toHaveLength(userMessages.length)
  })

  it('fails with a clear message when the config is not an annotator config', async () => {
    const run = await runSdf([
      'generate-annotations',
      '--prompt_input_path', join(SDF_FIXTURES, 'v0', 'discussions_input', 'personas', 'troll_1.json'),
      '--conv_path', 'x.json',
      '--output_dir', await tempDir(),
      '--model_path', await tinyModelPath()
    ])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/not an SDF annotator config/)
  })
})
