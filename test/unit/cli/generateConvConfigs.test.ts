import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createProgram, main } from '../../../src/cli/main.js'
import { expandArgparsePrefixes } from '../../../src/cli/commands/pythonStyleOptions.js'
import { parseSourceFile, type DiscussionConfig } from '../../../src/core/index.js'
import { HAVE_SDF_EXAMPLES, SDF_EXAMPLES } from '../../helpers/fixtures.js'
import { runSdf } from '../../helpers/runCli.js'
import { tempDir } from '../../helpers/tempDir.js'

const MODULAR = join(SDF_EXAMPLES, 'synthetic_moderation_experiments@78ca070a', 'data', 'discussions_input', 'modular_configurations')
const UUID_FILE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.json$/

/** Runs `sdf` in this process (much faster than a child process), capturing its output. */
async function sdf(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true))
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true))
  try {
    const code = await main(args)
    return { code, stdout, stderr }
  } finally {
    out.mockRestore()
    err.mockRestore()
  }
}

const standardArgs = (outputDir: string): string[] => [
  'generate-conv-configs',
  '--output_dir', outputDir,
  '--persona_dir', join(MODULAR, 'personas'),
  '--topics_dir', join(MODULAR, 'topics'),
  '--configs_path', join(MODULAR, 'other_configs', 'standard_multi_user.json'),
  '--user_instruction_path', join(MODULAR, 'user_instructions', 'vanilla.txt'),
  '--mod_instruction_path', join(MODULAR, 'mod_instructions', 'collective_constitution.txt')
]

async function readOutputs(dir: string): Promise<{ name: string; text: string; config: Omit<DiscussionConfig, 'id' | 'source'> }[]> {
  const names = (await readdir(dir)).sort()
  return Promise.all(
    names.map(async (name) => {
      const text = await readFile(join(dir, name), 'utf8')
      const parsed = parseSourceFile({ path: join(dir, name), text, sha256: '' })
      if (!('kind' in parsed) || parsed.kind !== 'discussion-config') throw new Error(`${name} does not read back as a discussion config`)
      return { name, text, config: parsed.config }
    })
  )
}

describe.skipIf(!HAVE_SDF_EXAMPLES)('sdf generate-conv-configs on the real SDF inputs', () => {
  it("writes 20 <uuid4>.json files by default that read back as discussion configs, printing SDF's lines", async () => {
    const out = join(await tempDir(), 'generated', 'nested')
    const run = await sdf([...standardArgs(out), '--seed', '1'])
    expect(run).toMatchObject({ code: 0, stderr: '' })
    expect(run.stdout).toBe(
      `Reading input files...\nProcessing...\nWriting new conversation input files...\nFiles exported to ${out}\n`
    )
    const files = await readOutputs(out)
    expect(files).toHaveLength(20)
    const vanilla = await readFile(join(MODULAR, 'user_instructions', 'vanilla.txt'), 'utf8')
    const rules = await readFile(join(MODULAR, 'mod_instructions', 'collective_constitution.txt'), 'utf8')
    for (const { name, text, config } of files) {
      expect(name).toMatch(UUID_FILE)
      expect(config.participants).toHaveLength(4)
      expect(new Set(config.participants.map((p) => p.username)).size).toBe(4)
      expect(config.moderator).toEqual({ name: 'moderator', attributes: ['just', 'strict', 'understanding'], instructions: rules })
      expect(config).toMatchObject({
        user_instructions: vanilla,
        turn_manager_type: 'random_weighted',
        turn_manager_config: { respond_probability: 0.3 },
        conv_len: 14,
        history_ctx_len: 2
      })
      expect(config.context.startsWith("You are a human participating in an online chatroom. You see the following post on a social media site:  '")).toBe(true)
      expect(Object.keys(JSON.parse(text))).toEqual([
        'context', 'user_names', 'user_attributes', 'user_instructions', 'turn_manager_type', 'turn_manager_config',
        'conv_len', 'history_ctx_len', 'moderator_name', 'moderator_attributes', 'moderator_instructions'
      ])
      expect(text).toMatch(/^\{\n {4}"context": /)
      expect(text.endsWith('\n}')).toBe(true)
      expect(text).toMatch(/^[\x20-\x7e\n]*$/)
    }
    // polarized_7.txt holds a right single quote, written as Python does.
    const curly = files.filter((file) => file.text.includes('don\\u2019t rape'))
    expect(curly.length).toBeGreaterThan(0)
  })

  it('writes identical files, names included, for the same --seed, and different ones for another', async () => {
    const [a, b, c] = [await tempDir(), await tempDir(), await tempDir()]
    await sdf([...standardArgs(a), '--seed', '7', '--num_generated_files', '5'])
    await sdf([...standardArgs(b), '--seed', '7', '--num_generated_files', '5'])
    await sdf([...standardArgs(c), '--seed', '8', '--num_generated_files', '5'])
    const [first, second, other] = await Promise.all([readOutputs(a), readOutputs(b), readOutputs(c)])
    expect(second.map((f) => [f.name, f.text])).toEqual(first.map((f) => [f.name, f.text]))
    expect(other.map((f) => f.name)).not.toEqual(first.map((f) => f.name))
  })

  it('chooses and prints a seed when none is given', async () => {
    const run = await sdf([...standardArgs(await tempDir()), '--num_generated_files', '1'])
    expect(run.code).toBe(0)
    expect(run.stderr).toMatch(/^sdf: no --seed given; using --seed \d+ \(pass it to reproduce these files\)\n$/)
  })

  it('accepts unambiguous prefixes of the original flag names, as argparse did', async () => {
    const out = await tempDir()
    const run = await sdf([
      'generate-conv-configs',
      `--output=${out}`,
      '--persona', join(MODULAR, 'personas'),
      '--topics', join(MODULAR, 'topics'),
      '--conf', join(MODULAR, 'other_configs', 'standard_multi_user.json'),
      '--user', join(MODULAR, 'user_instructions', 'vanilla.txt'),
      '--mod', join(MODULAR, 'mod_instructions', 'collective_constitution.txt'),
      '--num_g', '2',
      '--num_u=3',
      '--no-inc',
      '--seed', '3'
    ])
    expect(run).toMatchObject({ code: 0, stderr: '' })
    const files = await readOutputs(out)
    expect(files).toHaveLength(2)
    for (const { text, config } of files) {
      expect(config.participants).toHaveLength(3)
      expect(config.moderator).toBeNull()
      expect(JSON.parse(text)).toMatchObject({ moderator_name: null, moderator_attributes: null, moderator_instructions: null })
    }
  })

  it('refuses an ambiguous prefix with argparse’s message', async () => {
    const run = await sdf([...standardArgs(await tempDir()), '--num', '3'])
    expect(run.code).toBe(1)
    expect(run.stderr).toBe('sdf: error: ambiguous option: --num could match --num_generated_files, --num_users\n')
  })

  it("asserts num_users <= personas with SDF's message", async () => {
    const run = await sdf([...standardArgs(await tempDir()), '--num_users', '6', '--seed', '1'])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('sdf: error: Number of users must be less or equal to the number of provided personas (--num_users 6, 5 personas in')
  })

  it('names a missing directory, file or flag and exits 1', async () => {
    const missing = join(await tempDir(), 'nope')
    const noDir = await sdf([...standardArgs(await tempDir()), '--topics_dir', missing])
    expect(noDir.code).toBe(1)
    expect(noDir.stderr).toBe(`sdf: error: --topics_dir: Directory ${missing} does not exist.\n`)
    const noFile = await sdf([...standardArgs(await tempDir()), '--configs_path', missing])
    expect(noFile.stderr).toBe(`sdf: error: --configs_path: no such file: ${missing}\n`)
    const noFlag = await sdf(standardArgs(await tempDir()).filter((_, i, all) => all[i] !== '--user_instruction_path' && all[i - 1] !== '--user_instruction_path'))
    expect(noFlag.code).toBe(1)
    expect(noFlag.stderr).toContain("required option '--user_instruction_path <file>' not specified")
  })

  it('reads a v0.2 persona array file as well as one-persona files', async () => {
    const personas = join(await tempDir(), 'personas')
    await mkdir(personas)
    await copyFile(join(SDF_EXAMPLES, 'synthetic_moderation_experiments@3cba9621', 'data', 'discussions_input', 'personas', 'personas.json'), join(personas, 'all.json'))
    await copyFile(join(MODULAR, 'personas', 'troll_1.json'), join(personas, 'troll_1.json'))
    const out = await tempDir()
    const args = standardArgs(out)
    args[args.indexOf('--persona_dir') + 1] = personas
    const run = await sdf([...args, '--num_users', '7', '--seed', '5', '--num_generated_files', '3'])
    expect(run.code).toBe(0)
    for (const { config } of await readOutputs(out)) expect(config.participants).toHaveLength(7)
  })

  it('runs as the real bin/sdf too', async () => {
    const out = await tempDir()
    const run = await runSdf([...standardArgs(out), '--seed', '2', '--num_generated_files', '2'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`Files exported to ${out}`)
    expect(await readdir(out)).toHaveLength(2)
  })
})

describe.skipIf(!HAVE_SDF_EXAMPLES)('the bytes of a generated file', () => {
  let inputs: string
  beforeEach(async () => {
    inputs = await tempDir()
    await mkdir(join(inputs, 'personas'))
    await mkdir(join(inputs, 'topics'))
    await copyFile(join(MODULAR, 'personas', 'troll_2.json'), join(inputs, 'personas', 'troll_2.json'))
    await writeFile(join(inputs, 'topics', 't.txt'), 'Café ’quoted’ 😀 line\n')
    await writeFile(join(inputs, 'users.txt'), 'Be nice.\n')
    await writeFile(join(inputs, 'mod.txt'), 'Moderate.')
    await writeFile(
      join(inputs, 'configs.json'),
      '{"conv_len": 3, "history_ctx_len": 2, "turn_manager_type": "round_robin", "turn_manager_config": {}}'
    )
  })

  const args = (out: string, extra: string[] = []) => [
    'generate-conv-configs', '--output_dir', out, '--persona_dir', join(inputs, 'personas'), '--topics_dir', join(inputs, 'topics'),
    '--configs_path', join(inputs, 'configs.json'), '--user_instruction_path', join(inputs, 'users.txt'),
    '--mod_instruction_path', join(inputs, 'mod.txt'), '--num_generated_files', '1', '--num_users', '1', '--seed', '9', ...extra
  ]

  it("equal CPython's json.dump(indent=4) of SDF's LLMConvData (ensure_ascii, no trailing newline)", async () => {
    const out = await tempDir()
    expect((await sdf(args(out))).code).toBe(0)
    const [name] = await readdir(out)
    // Produced by CPython 3.11 json.dump(data, f, indent=4) for the same inputs.
    const expected = [
      '{',
      `    "context": "You are a human participating in an online chatroom. You see the following post on a social media site:  'Caf\\u00e9 \\u2019quoted\\u2019 \\ud83d\\ude00 line\\n'",`,
      '    "user_names": [',
      '        "QueenOfChaos"',
      '    ],',
      '    "user_attributes": [',
      '        [',
      '            "username: QueenOfChaos",',
      '            "age: 32",',
      '            "sex: Female",',
      '            "sexual_orientation: Heterosexual",',
      '            "demographic_group: White",',
      '            "current_employment: Unemployed",',
      '            "education_level: College",',
      '            "special_instructions: You are an online troll and want to derail the conversation, violate the rules and provoke toxicity from other users.",',
      `            "personality_characteristics: ['sarcastic', 'provocative', 'manipulative', 'outspoken']",`,
      '            "woman"',
      '        ]',
      '    ],',
      '    "user_instructions": "Be nice.\\n",',
      '    "turn_manager_type": "round_robin",',
      '    "turn_manager_config": {},',
      '    "conv_len": 3,',
      '    "history_ctx_len": 2,',
      '    "moderator_name": "moderator",',
      '    "moderator_attributes": [',
      '        "just",',
      '        "strict",',
      '        "understanding"',
      '    ],',
      '    "moderator_instructions": "Moderate."',
      '}'
    ].join('\n')
    expect(await readFile(join(out, name as string), 'utf8')).toBe(expected)
  })

  it('writes the v0.1 seed-opinion layout with --seed_opinions', async () => {
    const out = await tempDir()
    expect((await sdf(args(out, ['--seed_opinions', '--attribute_style', 'field-value']))).code).toBe(0)
    const [file] = await readOutputs(out)
    const json = JSON.parse(file!.text)
    expect(json.context).toBe('You are a human participating in an online chatroom.')
    expect(json.seed_opinions).toEqual(['Café ’quoted’ 😀 line\n'])
    expect(json.seed_opinion_usernames).toEqual(['FirstUser'])
    expect(json.user_attributes[0].at(-1)).toMatch(/^personality_characteristics: /)
    expect(file!.config.seed_comments).toEqual([{ author: 'FirstUser', text: 'Café ’quoted’ 😀 line\n' }])
  })
})

describe('expandArgparsePrefixes', () => {
  const command = createProgram().commands.find((c) => c.name() === 'generate-conv-configs')!

  it('expands unique prefixes, keeps exact names, values and everything after --', () => {
    expect(expandArgparsePrefixes(['--out', '--persona', '--top=x', '--num_u', '3', '--no-i', '--', '--out'], command)).toEqual([
      '--output_dir', '--persona', '--topics_dir=x', '--num_users', '3', '--no-include_mod', '--', '--out'
    ])
    expect(expandArgparsePrefixes(['--he'], command)).toEqual(['--help'])
    expect(expandArgparsePrefixes(['--unknown', '-x'], command)).toEqual(['--unknown', '-x'])
  })

  it('rejects an ambiguous prefix', () => {
    expect(() => expandArgparsePrefixes(['--num'], command)).toThrow('ambiguous option: --num could match --num_generated_files, --num_users')
  })
})
