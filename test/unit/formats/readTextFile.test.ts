import { describe, expect, it } from 'vitest'
import { textKindFromPath } from '../../../src/core/formats/index.js'
import { fixture, formatError, parsedAs, sourceFile } from './formatTestSupport.js'

describe('reading topic and instruction text files', () => {
  it('keeps a topic verbatim: leading space and trailing newline survive, title from the file name', () => {
    const result = parsedAs('topic', fixture('v0/discussions_input/topics/leading_space.txt'))
    expect(result).toEqual({
      kind: 'topic',
      format: 'sdf-topic-text',
      topic: { title: 'leading_space', text: ' Homosexuality is a choice?\n', seed_comments: [] }
    })
  })

  it('keeps literal backslash-n sequences as two characters, as SDF passed them to the model', () => {
    const result = parsedAs('instruction', fixture('v0/annotation_input/instructions/toxicity.txt'))
    expect(result.instruction.kind).toBe('annotator')
    expect(result.instruction.name).toBe('toxicity')
    expect(result.instruction.text.startsWith('Annotate toxicity.\\n\\nThe possible labels')).toBe(true)
    expect(result.instruction.text).not.toContain('\n')
  })

  it.each([
    ['data/discussions_input/modular_configurations/topics/polarized_3.txt', 'topic'],
    ['data/discussions_input/topics/final/cmv.txt', 'topic'],
    ['data/discussions_input/user_instructions/vanilla.txt', 'user-instruction'],
    ['syndisco-2.0/discussions_input/troll_instructions/troll.txt', 'user-instruction'],
    ['data/discussions_input/mod_instructions/erulemaking.txt', 'moderator-instruction'],
    ['data/discussions_input/mod_instruction/x.txt', 'moderator-instruction'],
    ['data/moderator/x.txt', 'moderator-instruction'],
    ['data/annotation_input/instructions/toxicity_argument_quality.txt', 'annotator-instruction'],
    ['data/annotation_input/modular_configurations/instructions/toxicity.txt', 'annotator-instruction'],
    ['C:\\data\\annotation_input\\instructions\\toxicity.txt', 'annotator-instruction'],
    ['topic_study/data/user_instructions/x.txt', 'user-instruction'],
    ['data/discussions_input/instructions/x.txt', null],
    ['notes.txt', null]
  ])('tells the kind of %s from its folders: %s', (path, kind) => {
    expect(textKindFromPath(path)).toBe(kind)
  })

  it('maps instruction folders to the instruction kinds of the schema', () => {
    expect(parsedAs('instruction', sourceFile('x/user_instructions/a.txt', 'Be brief.')).instruction).toEqual({
      kind: 'user',
      name: 'a',
      text: 'Be brief.'
    })
    expect(parsedAs('instruction', sourceFile('x/mod_instructions/a.txt', 'Moderate.')).instruction.kind).toBe('moderator')
  })

  it('lets the caller choose the kind of text files, over their folders', () => {
    const file = sourceFile('x/topics/a.txt', 'Moderate gently.')
    expect(parsedAs('instruction', file, { textKind: 'moderator-instruction' }).instruction).toEqual({
      kind: 'moderator',
      name: 'a',
      text: 'Moderate gently.'
    })
    expect(parsedAs('topic', sourceFile('downloads/t.txt', '[removed] hi'), { textKind: 'topic' }).topic.text).toBe('[removed] hi')
  })

  it('still reads JSON and YAML files as what they are when a text kind is chosen for a whole folder', () => {
    const persona = sourceFile('x/p.json', '{"username": "a", "age": 3}')
    expect(parsedAs('personas', persona, { textKind: 'topic' }).format).toBe('syndisco-2.0-persona')
    expect(parsedAs('settings', sourceFile('x/c.yml', 'logging: {}'), { textKind: 'topic' }).format).toBe('sdf-v0.2-run-config')
  })

  it('refuses a text file whose kind nobody can tell, saying how to fix it', () => {
    const error = formatError(sourceFile('downloads/polarized_1.txt', 'Some text'))
    expect(error.message).toBe(
      'cannot tell whether this text file is a topic or an instruction: put it in a folder named topics/, ' +
        'user_instructions/, mod_instructions/ or annotation_input/instructions/, or choose its kind explicitly'
    )
  })

  it('refuses empty and whitespace-only files', () => {
    expect(formatError(sourceFile('x/topics/a.txt', '')).message).toMatch(/^empty file/)
    expect(formatError(sourceFile('x/topics/a.txt', ' \n\t\n')).message).toMatch(/^empty file/)
    expect(formatError(sourceFile('x/topics/a.txt', '  '), { textKind: 'topic' }).message).toMatch(/^empty file/)
  })

  it('reads a topic that happens to start like JSON as text when its folder says so', () => {
    expect(parsedAs('topic', sourceFile('x/topics/removed.txt', '[removed] by the moderators')).topic.text).toBe(
      '[removed] by the moderators'
    )
    expect(parsedAs('topic', sourceFile('x/topics/list.txt', '[1, 2, 3]')).topic.title).toBe('list')
  })
})
