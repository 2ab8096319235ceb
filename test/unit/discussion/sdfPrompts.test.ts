import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  parseSourceFile,
  pythonRepr,
  pythonStr,
  renderPromptPreview,
  renderSdfAttributes,
  renderSpeakerPrompt,
  SDF_DEFAULT_MODERATOR_ATTRIBUTES,
  SDF_REMOVAL_LIST,
  SDF_STOP_STRINGS,
  SDF_V0_CONTEXT_PREFIX,
  sdfAnnotatorPrompt,
  sdfHistoryItem,
  sdfSexWord,
  sdfUserPrompt,
  sdfV01SystemPrompt,
  sdfV0Context,
  sdfV0SystemPrompt,
  type PersonaSnapshot
} from '../../../src/core/index.js'
import { HAVE_SDF_EXAMPLES, SDF_EXAMPLES } from '../../helpers/fixtures.js'

const MODULAR = join(SDF_EXAMPLES, 'synthetic_moderation_experiments@78ca070a', 'data', 'discussions_input', 'modular_configurations')
const CONV_DATA = join(
  SDF_EXAMPLES,
  'synthetic_discussion_framework@4e43d4f',
  'data',
  'generated_discussions_input',
  'conv_data',
  '0a07d0bb-6dc4-4db7-8c4d-bdbdc44570fd.json'
)

function personaFile(path: string): PersonaSnapshot {
  const parsed = parseSourceFile({ path, text: readFileSync(path, 'utf8'), sha256: '' })
  if (!('kind' in parsed) || parsed.kind !== 'personas') throw new Error(`not a persona file: ${path}`)
  return parsed.personas[0] as PersonaSnapshot
}

const TROLL_INSTRUCTIONS =
  'You are an online troll and want to derail the conversation, violate the rules and provoke toxicity from other users.'

describe("SDF v0's exact strings (spec §7)", () => {
  it('keeps the context prefix, its trailing space and the double space before the quoted topic', () => {
    expect(SDF_V0_CONTEXT_PREFIX).toBe(
      'You are a human participating in an online chatroom. You see the following post on a social media site: '
    )
    expect(sdfV0Context(' All men are sex offenders? ... healthy, normal sex.\n')).toBe(
      "You are a human participating in an online chatroom. You see the following post on a social media site:  ' All men are sex offenders? ... healthy, normal sex.\n'"
    )
  })

  it('stops and removes what SDF did', () => {
    expect(SDF_STOP_STRINGS).toEqual(['###', '\n\n', 'User'])
    expect(SDF_REMOVAL_LIST).toEqual(['```'])
    expect(SDF_DEFAULT_MODERATOR_ATTRIBUTES).toEqual(['just', 'strict', 'understanding'])
  })

  it('builds the moderator and annotator system prompts of spec §2.4', () => {
    const context = sdfV0Context('topic\n')
    expect(sdfV0SystemPrompt({ name: 'moderator', attributes: SDF_DEFAULT_MODERATOR_ATTRIBUTES, context, instructions: 'Be fair' })).toBe(
      `You are moderator just, strict, understanding. Context: ${context}. Your instructions: Be fair.`
    )
    expect(sdfV0SystemPrompt({ name: '', attributes: ['age: 30'], context: '', instructions: 'Rate it' })).toBe(
      'You are  age: 30. Context: . Your instructions: Rate it.'
    )
  })

  it('builds the v0.1 system prompt without a trailing period', () => {
    expect(
      sdfV01SystemPrompt({
        name: 'Ann',
        attributes: ['age: 30', 'sex: female'],
        context: 'You are a human participating in an online chatroom.',
        instructions: 'Be brief.'
      })
    ).toBe(
      'You are a human participating in an online chatroom. Your name is Ann. Your traits: age: 30, sex: female Your instructions: Be brief.'
    )
  })

  it('formats history items with a header and 70-column wrapping, and blank texts as ""', () => {
    const long = `${'word '.repeat(15)}end`
    expect(sdfHistoryItem('QueenOfChaos', long)).toBe(`User QueenOfChaos posted:\n${'word '.repeat(13)}word\nword end`)
    expect(sdfHistoryItem('moderator', '  \n ')).toBe('')
    expect(sdfHistoryItem('Ann', 'line one\nline two')).toBe('User Ann posted:\nline one line two')
  })

  it('builds the user prompt, first turn included, and the annotator prompt', () => {
    expect(sdfUserPrompt([], 'DarkShadow333')).toBe('\nUser DarkShadow333 posted:')
    const window = [sdfHistoryItem('QueenOfChaos', 'Nope.'), sdfHistoryItem('moderator', 'Calm down.')]
    expect(sdfUserPrompt(window, 'DarkShadow333')).toBe(
      'User QueenOfChaos posted:\nNope.\nUser moderator posted:\nCalm down.\nUser DarkShadow333 posted:'
    )
    // A blank moderator reply still takes its slot, as an empty line.
    expect(sdfUserPrompt([sdfHistoryItem('Ann', 'Hi'), sdfHistoryItem('moderator', '')], 'Bob')).toBe(
      'User Ann posted:\nHi\n\nUser Bob posted:'
    )
    expect(sdfAnnotatorPrompt([sdfHistoryItem('Ann', 'Hi')])).toBe('Conversation so far:\n\nUser Ann posted:\nHi\nOutput:')
  })

  it('sends the two messages through alpaca as "{system}\\n\\n### Instruction: {user}\\n\\n"', () => {
    const preview = renderPromptPreview(
      { kind: 'sdf-v0', attribute_style: 'field-value-sex-word', prompt_format: 'sdf-alpaca' },
      { name: 'Ann', role: 'user', attributes: ['age: 30'], context: 'ctx', instructions: 'Be brief', history: [] }
    )
    expect(preview.system).toBe('You are Ann age: 30. Context: ctx. Your instructions: Be brief.')
    expect(preview.user).toBe('\nUser Ann posted:')
    expect(preview.rawPrompt).toBe('You are Ann age: 30. Context: ctx. Your instructions: Be brief.\n\n### Instruction: \nUser Ann posted:\n\n')
    expect(preview.stop).toEqual(['###', '\n\n', 'User'])
    expect(preview.promptFormat).toBe('sdf-alpaca')
  })
})

describe("Python's str() of persona values", () => {
  it('renders lists as Python reprs with its quoting rules', () => {
    expect(pythonStr(['outgoing', 'rebellious'])).toBe("['outgoing', 'rebellious']")
    expect(pythonStr(["it's", 'ok'])).toBe(`["it's", 'ok']`)
    expect(pythonStr(['say "hi"'])).toBe(`['say "hi"']`)
    expect(pythonStr([`both ' and "`])).toBe(`['both \\' and "']`)
    expect(pythonStr(['back\\slash', 'tab\there', 'new\nline', 'é', '\u00a0', '\u200b', '😀', '\x7f', '\x01'])).toBe(
      "['back\\\\slash', 'tab\\there', 'new\\nline', 'é', '\\xa0', '\\u200b', '😀', '\\x7f', '\\x01']"
    )
  })

  it('renders scalars as Python does', () => {
    expect([pythonStr([]), pythonStr(29), pythonStr(true), pythonStr(null), pythonStr('plain')]).toEqual([
      '[]',
      '29',
      'True',
      'None',
      'plain'
    ])
    expect([0.5, 1e-5, 123456.789, -0.25].map((n) => pythonRepr(n))).toEqual(['0.5', '1e-05', '123456.789', '-0.25'])
  })
})

describe('SDF attribute styles (spec §1.1)', () => {
  const ann: PersonaSnapshot = {
    username: 'Ann',
    age: 30,
    sex: 'Female',
    sexual_orientation: 'Bisexual',
    demographic_group: 'Asian',
    current_employment: 'Nurse',
    education_level: 'PhD',
    special_instructions: 'Be helpful towards other users.',
    personality_characteristics: ['calm', "it's fine"],
    extra_attributes: { political_leaning: 'left' }
  }

  it('renders field: value with the sex word (ddf44cf), leaving out attributes SDF did not know', () => {
    expect(renderSdfAttributes(ann, 'field-value-sex-word')).toEqual([
      'username: Ann',
      'age: 30',
      'sex: Female',
      'sexual_orientation: Bisexual',
      'demographic_group: Asian',
      'current_employment: Nurse',
      'education_level: PhD',
      'special_instructions: Be helpful towards other users.',
      `personality_characteristics: ['calm', "it's fine"]`,
      'woman'
    ])
    expect(renderSdfAttributes(ann, 'field-value').at(-1)).toBe(`personality_characteristics: ['calm', "it's fine"]`)
  })

  it('renders the Nov 9–20 positional style with its doubled periods', () => {
    expect(renderSdfAttributes(ann, 'years-old-instructions').join(', ')).toBe(
      "30 years old, Bisexual, Asian, Nurse, calm, it's fine, woman, with PhD education., Be helpful towards other users."
    )
  })

  it('maps the sex word without regard to case', () => {
    expect(['male', 'FEMALE', 'Female', 'nonbinary', ''].map(sdfSexWord)).toEqual(['man', 'woman', 'woman', 'non-binary', 'non-binary'])
  })
})

describe.skipIf(!HAVE_SDF_EXAMPLES)('prompts rebuilt from the real SDF example files', () => {
  it("renders troll_1.json (v0, ddf44cf) as the spec's LLMConvData example", () => {
    const persona = personaFile(join(MODULAR, 'personas', 'troll_1.json'))
    expect(renderSdfAttributes(persona, 'field-value-sex-word')).toEqual([
      'username: DarkShadow333',
      'age: 29',
      'sex: male',
      'sexual_orientation: Homosexual',
      'demographic_group: White',
      'current_employment: Retail Worker',
      'education_level: High School',
      `special_instructions: ${TROLL_INSTRUCTIONS}`,
      "personality_characteristics: ['outgoing', 'rebellious', 'provocative', 'impulsive']",
      'man'
    ])
  })

  it("rebuilds the spec's real system prompt of 24-11-15-12-43.json (Nov 9–20 style)", () => {
    const persona = personaFile(join(MODULAR, 'personas', 'troll_1.json'))
    const topic = readFileSync(join(MODULAR, 'topics', 'polarized_1.txt'), 'utf8')
    const instructions = readFileSync(join(MODULAR, 'user_instructions', 'vanilla.txt'), 'utf8')
    const system = sdfV0SystemPrompt({
      name: persona.username,
      attributes: renderSdfAttributes(persona, 'years-old-instructions'),
      context: sdfV0Context(topic),
      instructions
    })
    const specExample =
      'You are DarkShadow333 29 years old, Homosexual, White, Retail Worker, outgoing, rebellious, provocative, impulsive, man, with High School education., You are an online troll and want to derail the conversation, violate the rules and provoke toxicity from other users.. Context: You are a human participating in an online chatroom. You see the following post on a social media site:  \'<topic>\'. Your instructions: <user_instructions>.'
    expect(system).toBe(specExample.replace('<topic>', topic).replace('<user_instructions>', instructions))
  })

  it('renders the v-1 troll_1.json exactly as the committed 0a07d0bb input lists DarkShadow333', () => {
    const persona = personaFile(
      join(SDF_EXAMPLES, 'synthetic_moderation_experiments@e83a73dd', 'data', 'generated_discussions_input', 'modular_configurations', 'personas', 'troll_1.json')
    )
    const convData = JSON.parse(readFileSync(CONV_DATA, 'utf8')) as { user_names: string[]; user_attributes: string[][] }
    const committed = convData.user_attributes[convData.user_names.indexOf('DarkShadow333')]
    expect(renderSdfAttributes(persona, 'years-old-intent')).toEqual(committed)
  })

  it('builds the system and first user prompt of the 0a07d0bb discussion from its LLMConvData', () => {
    const text = readFileSync(CONV_DATA, 'utf8')
    const parsed = parseSourceFile({ path: CONV_DATA, text, sha256: '' })
    if (!('kind' in parsed) || parsed.kind !== 'discussion-config') throw new Error('expected a discussion config')
    const { config } = parsed
    const queen = config.participants[0]!
    const prompt = renderSpeakerPrompt(
      { kind: 'sdf-v0', attribute_style: 'field-value-sex-word', prompt_format: 'sdf-alpaca' },
      { name: queen.username, role: 'user', attributes: queen.attributes, context: config.context, instructions: config.user_instructions, history: [] }
    )
    const raw = JSON.parse(text) as { context: string; user_instructions: string }
    expect(prompt.messages).toEqual([
      {
        role: 'system',
        content:
          'You are QueenOfChaos 32 years old, Heterosexual, White, Unemployed, sarcastic, provocative, manipulative, outspoken, woman, with College education, and Troll intent. ' +
          `Context: ${raw.context}. Your instructions: ${raw.user_instructions}.`
      },
      { role: 'user', content: '\nUser QueenOfChaos posted:' }
    ])
    expect(prompt.messages[0]!.content).toContain("site:  'Are you high??? Selling someone a cake?")
    expect(prompt.messages[0]!.content.endsWith('as @username..')).toBe(true)
  })
})
