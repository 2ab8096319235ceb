import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { main } from '../../../src/cli/main.js'
import { parseSourceFile } from '../../../src/core/index.js'
import { HAVE_SDF_EXAMPLES, SDF_EXAMPLES } from '../../helpers/fixtures.js'
import { tempDir } from '../../helpers/tempDir.js'

const ANNOTATION = join(SDF_EXAMPLES, 'synthetic_moderation_experiments@78ca070a', 'data', 'annotation_input', 'modular_configurations')
const PERSONAS = join(SDF_EXAMPLES, 'synthetic_moderation_experiments@78ca070a', 'data', 'discussions_input', 'modular_configurations', 'personas')

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

async function outputs(dir: string): Promise<{ name: string; text: string }[]> {
  const names = (await readdir(dir)).sort()
  return Promise.all(names.map(async (name) => ({ name, text: await readFile(join(dir, name), 'utf8') })))
}

describe.skipIf(!HAVE_SDF_EXAMPLES)('sdf generate-annotation-configs', () => {
  it("writes one config per annotator persona with SDF's defaults and layout", async () => {
    const out = await tempDir()
    const run = await sdf([
      'generate-annotation-configs',
      '--output_dir', out,
      '--persona_dir', join(ANNOTATION, 'personas'),
      '--instruction_path', join(ANNOTATION, 'instructions', 'toxicity.txt'),
      '--seed', '4'
    ])
    expect(run).toEqual({ code: 0, stderr: '', stdout: `Reading input files...\nProcessing...\nFiles exported to ${out}\n` })
    const [file, ...rest] = await outputs(out)
    expect(rest).toHaveLength(0)
    expect(file!.name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.json$/)
    const json = JSON.parse(file!.text)
    expect(Object.keys(json)).toEqual(['attributes', 'instructions', 'include_moderator_comments', 'history_ctx_len'])
    expect(json).toMatchObject({ include_moderator_comments: false, history_ctx_len: 4 })
    expect(json.instructions).toBe(await readFile(join(ANNOTATION, 'instructions', 'toxicity.txt'), 'utf8'))
    expect(json.attributes).toEqual([
      'username: TechGuru88',
      'age: 30',
      'sex: male',
      'sexual_orientation: Heterosexual',
      'demographic_group: Asian',
      'current_employment: Software Engineer',
      'education_level: Masters',
      'special_instructions: ',
      "personality_characteristics: ['curious', 'methodical', 'humorous', 'innovative']",
      'man'
    ])
    expect(file!.text.startsWith('{\n    "attributes": [\n        "username: TechGuru88",')).toBe(true)
    const parsed = parseSourceFile({ path: join(out, file!.name), text: file!.text, sha256: '' })
    expect(parsed).toMatchObject({ kind: 'settings', format: 'sdf-annotation-config' })
  })

  it('takes the history length and moderator flag, by prefix too, and repeats names for a seed', async () => {
    const personas = join(await tempDir(), 'annotators')
    await mkdir(personas)
    for (const name of ['chill_1.json', 'troll_1.json', 'helpful_1.json']) await copyFile(join(PERSONAS, name), join(personas, name))
    const args = (out: string) => [
      'generate-annotation-configs', '--out', out, '--pers', personas, '--inst', join(ANNOTATION, 'instructions', 'toxicity.txt'),
      '--hist', '2', '--include_mod', '--seed', '11'
    ]
    const [a, b] = [await tempDir(), await tempDir()]
    expect((await sdf(args(a))).code).toBe(0)
    expect((await sdf(args(b))).code).toBe(0)
    const first = await outputs(a)
    expect(first).toHaveLength(3)
    expect(await outputs(b)).toEqual(first)
    for (const { text } of first) expect(JSON.parse(text)).toMatchObject({ include_moderator_comments: true, history_ctx_len: 2 })
  })

  it('names a missing persona folder and exits 1', async () => {
    const missing = join(await tempDir(), 'none')
    const run = await sdf(['generate-annotation-configs', '--output_dir', await tempDir(), '--persona_dir', missing, '--instruction_path', 'x'])
    expect(run).toMatchObject({ code: 1, stderr: `sdf: error: --persona_dir: Directory ${missing} does not exist.\n` })
  })
})
