import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FormatError, parseSourceFile, toLlmConvData, toSdfPersona } from '../../../src/core/formats/index.js'
import { HAVE_REAL_EXAMPLES, REAL_EXAMPLES, jsonFile, parsedAs, sourceFile } from './formatTestSupport.js'

function walk(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })
}

/** The original tool's input files, read in place (spec §0: inputs of SDF@4e43d4f and EXP snapshots). */
const FILES = (HAVE_REAL_EXAMPLES ? walk(REAL_EXAMPLES) : [])
  .filter((path) => !path.endsWith('SOURCES.md'))
  .map((path) => relative(REAL_EXAMPLES, path))
  .sort()

function real(path: string) {
  return sourceFile(path, readFileSync(join(REAL_EXAMPLES, path), 'utf8'))
}

const EXPECTED: Record<string, string> = {
  'synthetic_discussion_framework@4e43d4f/data/generated_discussions_input/conv_data/0a07d0bb-6dc4-4db7-8c4d-bdbdc44570fd.json':
    'discussion-config sdf-llm-conv-data',
  'synthetic_moderation_experiments@3cba9621/data/annotation_input/instructions/toxicity_argument_quality.txt': 'instruction sdf-instruction-text',
  'synthetic_moderation_experiments@3cba9621/data/annotation_input/personas/sdb_personas.json': 'personas sdf-v0.2-persona-array',
  'synthetic_moderation_experiments@3cba9621/data/discussions_input/personas/personas.json': 'personas sdf-v0.2-persona-array',
  'synthetic_moderation_experiments@4ecc4bfc/data/discussions_input/mod_instructions/erulemaking.txt': 'instruction sdf-instruction-text',
  'synthetic_moderation_experiments@4ecc4bfc/data/discussions_input/run_config.yml': 'settings sdf-v0.2-run-config',
  'synthetic_moderation_experiments@4ecc4bfc/data/discussions_input/user_instructions/troll.txt': 'instruction sdf-instruction-text',
  'synthetic_moderation_experiments@4ecc4bfc/data/discussions_input/user_instructions/vanilla.txt': 'instruction sdf-instruction-text',
  'synthetic_moderation_experiments@78ca070a/data/annotation_input/modular_configurations/instructions/toxicity.txt': 'instruction sdf-instruction-text',
  'synthetic_moderation_experiments@78ca070a/data/annotation_input/modular_configurations/personas/chill_1.json': 'personas sdf-v0-persona',
  'synthetic_moderation_experiments@78ca070a/data/discussions_input/modular_configurations/mod_instructions/collective_constitution.txt': 'instruction sdf-instruction-text',
  'synthetic_moderation_experiments@78ca070a/data/discussions_input/modular_configurations/mod_instructions/moderation_game.txt': 'instruction sdf-instruction-text',
  'synthetic_moderation_experiments@78ca070a/data/discussions_input/modular_configurations/mod_instructions/no_instructions.txt': 'instruction sdf-instruction-text',
  'synthetic_moderation_experiments@78ca070a/data/discussions_input/modular_configurations/other_configs/standard_multi_user.json': 'settings sdf-other-configs',
  'synthetic_moderation_experiments@78ca070a/data/discussions_input/modular_configurations/personas/chill_1.json': 'personas sdf-v0-persona',
  'synthetic_moderation_experiments@78ca070a/data/discussions_input/modular_configurations/personas/chill_2.json': 'personas sdf-v0-persona',
  'synthetic_moderation_experiments@78ca070a/data/discussions_input/modular_configurations/personas/helpful_1.json': 'personas sdf-v0-persona',
  'synthetic_moderation_experiments@78ca070a/data/discussions_input/modular_configurations/personas/troll_1.json': 'personas sdf-v0-persona',
  'synthetic_moderation_experiments@78ca070a/data/discussions_input/modular_configurations/personas/troll_2.json': 'personas sdf-v0-persona',
  'synthetic_moderation_experiments@78ca070a/data/discussions_input/modular_configurations/topics/polarized_1.txt': 'topic sdf-topic-text',
  'synthetic_moderation_experiments@78ca070a/data/discussions_input/modular_configurations/topics/polarized_3.txt': 'topic sdf-topic-text',
  'synthetic_moderation_experiments@78ca070a/data/discussions_input/modular_configurations/topics/polarized_7.txt': 'topic sdf-topic-text',
  'synthetic_moderation_experiments@78ca070a/data/discussions_input/modular_configurations/user_instructions/arguments.txt': 'instruction sdf-instruction-text',
  'synthetic_moderation_experiments@78ca070a/data/discussions_input/modular_configurations/user_instructions/moderation_game.txt': 'instruction sdf-instruction-text',
  'synthetic_moderation_experiments@78ca070a/data/discussions_input/modular_configurations/user_instructions/vanilla.txt': 'instruction sdf-instruction-text',
  'synthetic_moderation_experiments@aacf025d/data/server_config.yml': 'settings sdf-v0.2-run-config',
  'synthetic_moderation_experiments@e83a73dd/data/generated_discussions_input/modular_configurations/personas/troll_1.json': 'personas sdf-v-1-persona'
}

// Where the reference folder is not mounted (outside this workplace) there is nothing to read.
describe.runIf(HAVE_REAL_EXAMPLES)('the original tool’s real input files', () => {
  it('are all accounted for here (a new example file needs an expectation)', () => {
    expect(FILES).toEqual(Object.keys(EXPECTED).sort())
  })

  it.each(FILES)('reads %s', (path) => {
    const result = parseSourceFile(real(path))
    if (result instanceof FormatError) throw new Error(result.describe())
    expect(`${result.kind} ${result.format}`).toBe(EXPECTED[path])
  })

  it('keeps topics and instructions byte for byte, leading space and missing final newline included', () => {
    for (const path of FILES.filter((p) => p.endsWith('.txt'))) {
      const file = real(path)
      const result = parsedAs(path.includes('/topics/') ? 'topic' : 'instruction', file)
      expect(result.kind === 'topic' ? result.topic.text : result.kind === 'instruction' ? result.instruction.text : null).toBe(file.text)
    }
    const topic = parsedAs('topic', real('synthetic_moderation_experiments@78ca070a/data/discussions_input/modular_configurations/topics/polarized_1.txt'))
    expect(topic.topic).toMatchObject({ title: 'polarized_1', text: expect.stringMatching(/^ Homosexuality/) as string })
    const toxicity = parsedAs('instruction', real('synthetic_moderation_experiments@78ca070a/data/annotation_input/modular_configurations/instructions/toxicity.txt'))
    expect(toxicity.instruction.kind).toBe('annotator')
    expect(toxicity.instruction.text).toContain('toxicity as it continues.\\n\\nThe possible labels')
  })

  it('reads the committed v-1 LLMConvData with every persona recovered from its attribute list', () => {
    const path = 'synthetic_discussion_framework@4e43d4f/data/generated_discussions_input/conv_data/0a07d0bb-6dc4-4db7-8c4d-bdbdc44570fd.json'
    const { config } = parsedAs('discussion-config', real(path))
    expect(config.participants.map((p) => [p.username, p.persona.age, p.persona.sex, p.persona.intent])).toEqual([
      ['QueenOfChaos', 32, 'female', 'Troll'],
      ['WiseOwl71', 71, 'female', 'Helpful'],
      ['TechGuru88', 35, 'male', 'Helpful'],
      ['doing_my_best24', 24, 'female', 'Neutral'],
      ['DarkShadow333', 29, 'male', 'Troll']
    ])
    expect(config).toMatchObject({ conv_len: 9, history_ctx_len: 2, turn_manager_type: 'random_weighted', turn_manager_config: { respond_probability: 0.4 } })
    expect(config.moderator).toMatchObject({ name: 'moderator', attributes: [] })
    const written = toLlmConvData(config)
    const original = JSON.parse(real(path).text) as Record<string, unknown>
    expect(written).toStrictEqual({ ...original, seed_opinions: [], seed_opinion_usernames: [] })
  })

  it('recovers the v0 persona files, "Female" spelled as written, and writes them back in their own key order', () => {
    const base = 'synthetic_moderation_experiments@78ca070a/data/discussions_input/modular_configurations/personas/'
    for (const name of ['chill_1', 'chill_2', 'helpful_1', 'troll_1', 'troll_2']) {
      const file = real(`${base}${name}.json`)
      const [persona] = parsedAs('personas', file).personas
      const original = JSON.parse(file.text) as Record<string, unknown>
      expect(toSdfPersona(persona!)).toStrictEqual(original)
      expect(JSON.stringify(toSdfPersona(persona!))).toBe(JSON.stringify(original))
    }
  })

  it('marks the annotator persona files as annotators and the discussion personas not', () => {
    const annotators = parsedAs('personas', real('synthetic_moderation_experiments@3cba9621/data/annotation_input/personas/sdb_personas.json'))
    expect(annotators.personas.length).toBeGreaterThan(1)
    expect(annotators.personas.every((p) => p.role_hint === 'annotator')).toBe(true)
    const users = parsedAs('personas', real('synthetic_moderation_experiments@3cba9621/data/discussions_input/personas/personas.json'))
    expect(users.personas.every((p) => p.role_hint === undefined)).toBe(true)
    expect(new Set(users.personas.map((p) => p.username)).size).toBe(users.personas.length)
  })

  it('keeps the YAML run configurations as plain data', () => {
    const v02 = parsedAs('settings', real('synthetic_moderation_experiments@aacf025d/data/server_config.yml'))
    expect(v02.settings).toMatchObject({
      actions: { generate_discussions: true },
      model_parameters: { general: { disallowed_strings: ['```', '"'], max_tokens: 1500 } },
      discussions: { turn_taking: { num_turns: 14, respond_probability: 0.4 } }
    })
    const y2026 = parsedAs('settings', real('synthetic_moderation_experiments@4ecc4bfc/data/discussions_input/run_config.yml'))
    expect(y2026).toMatchObject({ name: 'run_config', settings: { discussion_model: { max_tokens: 1500 }, discussions: { turn_taking: { num_turns: 15 } } } })
  })

  it('reads the other_configs file that starts with a blank line and a space', () => {
    const path = 'synthetic_moderation_experiments@78ca070a/data/discussions_input/modular_configurations/other_configs/standard_multi_user.json'
    expect(parsedAs('settings', real(path)).settings).toEqual({
      conv_len: 14,
      history_ctx_len: 2,
      turn_manager_type: 'random_weighted',
      turn_manager_config: { respond_probability: 0.3 }
    })
    // The same content saved elsewhere is still recognised by what it holds.
    expect(parsedAs('settings', jsonFile('anywhere.json', { conv_len: 14 })).format).toBe('sdf-other-configs')
  })
})
