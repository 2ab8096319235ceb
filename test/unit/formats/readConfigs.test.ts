import { describe, expect, it } from 'vitest'
import { DiscussionConfigSchema } from '../../../src/core/schema/index.js'
import { fixture, fixtureJson, formatError, jsonFile, parsedAs, sourceFile } from './formatTestSupport.js'

const V01_CONFIG = 'v0.1/discussions_input/generated/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d.json'

describe('reading LLMConvData (generated conversation inputs)', () => {
  it('recovers structured personas from v-1 attribute lists and applies SDF defaults', () => {
    const { config, format } = parsedAs(
      'discussion-config',
      fixture('v-1/generated_discussions_input/conv_data/5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9.json')
    )
    expect(format).toBe('sdf-llm-conv-data')
    expect(config.participants[0]?.persona).toEqual({
      username: 'DarkShadow333',
      age: 29,
      sex: 'male',
      sexual_orientation: 'Homosexual',
      demographic_group: 'White',
      current_employment: 'Retail Worker',
      education_level: 'High School',
      intent: 'Troll',
      personality_characteristics: ['outgoing', 'rebellious', 'provocative', 'impulsive'],
      extra_attributes: {}
    })
    expect(config.participants[1]?.persona).toMatchObject({ sex: 'non-binary', intent: 'Neutral' })
    expect(config).toMatchObject({ conv_len: 4, history_ctx_len: 4, turn_manager_config: {}, seed_comments: [] })
    // v-1 wrote [] for moderator attributes; the moderator still exists.
    expect(config.moderator).toEqual({ name: 'moderator', attributes: [], instructions: expect.any(String) as string })
  })

  it('keeps attribute strings verbatim so SDF v0 prompts can be rebuilt byte for byte', () => {
    const path = 'v0/discussions_input/generated/3f2b8c1d-0e4a-4c6b-9d7e-8a1b2c3d4e5f.json'
    const raw = fixtureJson(path)
    const { config } = parsedAs('discussion-config', fixture(path))
    expect(config.participants.map((p) => p.attributes)).toEqual(raw.user_attributes)
    expect(config.context).toBe(raw.context)
    expect(config.context).toContain("site:  'All men") // the double space before the quote
    expect(config.turn_manager_config).toEqual({ respond_probability: 0.3 })
    expect(config.moderator?.attributes).toEqual(['just', 'strict', 'understanding'])
  })

  it('recovers Nov 9–20 personas whose special instructions contain ", "', () => {
    const { config } = parsedAs('discussion-config', fixture('v0/discussions_input/generated/3f2b8c1d-0e4a-4c6b-9d7e-8a1b2c3d4e5f.json'))
    expect(config.participants[0]?.persona.special_instructions).toBe(
      'You are an online troll and want to derail the conversation, violate the rules and provoke toxicity from other users.'
    )
    expect(config.participants[2]?.persona).toMatchObject({ username: 'Zoë_Ω', special_instructions: '', sex: 'female' })
  })

  it('turns seed_opinions and seed_opinion_usernames into seed comments', () => {
    const { config } = parsedAs('discussion-config', fixture(V01_CONFIG))
    expect(config.seed_comments).toEqual([{ author: 'FirstUser', text: expect.stringMatching(/^All men are sex offenders/) as string }])
    expect(config.moderator).toBeNull()
    // field: value attributes keep the persona's own sex value over the trailing sex word
    expect(config.participants[0]?.persona.sex).toBe('Female')
  })

  it('reads the single seed_opinion / seed_opinion_user form of January 2025', () => {
    const raw = { ...fixtureJson(V01_CONFIG), seed_opinions: [], seed_opinion_usernames: [], seed_opinion: 'Hi', seed_opinion_user: 'SportyAce23' }
    const { config } = parsedAs('discussion-config', jsonFile('conv.json', raw))
    expect(config.seed_comments).toEqual([{ author: 'SportyAce23', text: 'Hi' }])
  })

  it('produces configs that validate against DiscussionConfigSchema', () => {
    const { config } = parsedAs('discussion-config', fixture(V01_CONFIG))
    expect(DiscussionConfigSchema.safeParse({ ...config, id: 'config-1' }).success).toBe(true)
  })

  it('rejects mismatched user_names and user_attributes, as SDF asserted', () => {
    const raw = fixtureJson(V01_CONFIG)
    const error = formatError(jsonFile('conv.json', { ...raw, user_attributes: [[]] }))
    expect(error.field).toBe('user_attributes')
    expect(error.message).toMatch(/has 1 entries for 2 user_names/)
  })

  it('names the field of other broken values', () => {
    const raw = fixtureJson(V01_CONFIG)
    expect(formatError(jsonFile('c.json', { ...raw, context: 3 })).field).toBe('context')
    expect(formatError(jsonFile('c.json', { ...raw, user_attributes: [['a'], ['b', 2]] })).field).toBe('user_attributes[1][1]')
    expect(formatError(jsonFile('c.json', { ...raw, conv_len: 2.5 })).field).toBe('conv_len')
    expect(formatError(jsonFile('c.json', { ...raw, turn_manager_config: { respond_probability: 'high' } })).field).toBe(
      'turn_manager_config.respond_probability'
    )
    expect(formatError(jsonFile('c.json', { ...raw, seed_opinion_usernames: ['a', 'b'] })).field).toBe('seed_opinion_usernames')
    expect(formatError(jsonFile('c.json', { ...raw, user_names: [], user_attributes: [] })).field).toBe('user_names')
  })
})

describe('reading settings files', () => {
  it('keeps other_configs JSON verbatim under the file name', () => {
    const result = parsedAs('settings', fixture('v0/discussions_input/other_configs/round_robin.json'))
    expect(result).toEqual({
      kind: 'settings',
      format: 'sdf-other-configs',
      name: 'round_robin',
      settings: { conv_len: 6, history_ctx_len: 4, turn_manager_type: 'round_robin', turn_manager_config: {} }
    })
    expect(formatError(jsonFile('c.json', { conv_len: '14' })).field).toBe('conv_len')
  })

  it('reads annotation configs (LlmAnnotationData)', () => {
    const result = parsedAs('settings', fixture('v0/annotation_input/generated/4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f.json'))
    expect(result.format).toBe('sdf-annotation-config')
    expect(result.settings).toMatchObject({ include_moderator_comments: false, history_ctx_len: 4 })
    expect(formatError(jsonFile('a.json', { attributes: 'x', instructions: 'y' })).field).toBe('attributes')
  })

  it('reads a YAML run configuration by its extension', () => {
    const yaml = 'discussions:\n  turn_taking:\n    num_turns: 14\n    respond_probability: 0.4 # comment\n'
    const result = parsedAs('settings', sourceFile('data/server_config.yaml', yaml))
    expect(result).toEqual({
      kind: 'settings',
      format: 'sdf-v0.2-run-config',
      name: 'server_config',
      settings: { discussions: { turn_taking: { num_turns: 14, respond_probability: 0.4 } } }
    })
  })

  it('recognises a run configuration by its sections even without the extension', () => {
    expect(parsedAs('settings', sourceFile('run_config', 'logging:\n  level: "info"\n')).format).toBe('sdf-v0.2-run-config')
  })

  it('reports invalid YAML and YAML that is not a mapping', () => {
    expect(formatError(sourceFile('c.yml', 'a: [1, 2\nb: 3')).message).toMatch(/^invalid YAML/)
    expect(formatError(sourceFile('c.yml', '- 1\n- 2\n')).message).toMatch(/expected a YAML mapping/)
  })
})
