import { describe, expect, it } from 'vitest'
import { cleaningForPromptMode, cleanOutput, DEFAULT_CLEANING, SDF_V0_CLEANING, type CleaningStep } from '../../../src/core/index.js'

const clean = (raw: string, steps: readonly CleaningStep[] = DEFAULT_CLEANING) => cleanOutput(raw, 'DarkShadow333', steps).text

describe('the output cleaning pipeline', () => {
  it.each([
    ['DarkShadow333: I disagree.', 'I disagree.'],
    ['**DarkShadow333:** I disagree.', 'I disagree.'],
    ['**DarkShadow333**: I disagree.', 'I disagree.'],
    ['User DarkShadow333 posted:\nI disagree.', 'I disagree.'],
    ['  darkshadow333 :  I disagree.', 'I disagree.'],
    ['Comment: I disagree.', 'I disagree.'],
    ['**Comment:** I disagree.', 'I disagree.'],
    ['Response: I disagree.', 'I disagree.'],
    ['DarkShadow333: **Comment:** "I disagree."', 'I disagree.'],
    ['“I disagree.”', 'I disagree.'],
    ['```I disagree.```', 'I disagree.']
  ])('cleans %j to %j', (raw, expected) => {
    expect(clean(raw)).toBe(expected)
  })

  it.each([
    ['another user’s label', 'QueenOfChaos: you are wrong'],
    ['a mention, not a label', '@DarkShadow333 you are wrong'],
    ['two quotations', '"Yes" and "no" are both answers'],
    ['a label later in the text', 'I said Comment: nothing']
  ])('leaves %s alone', (_name, raw) => {
    expect(clean(raw)).toBe(raw)
  })

  it('keeps the raw text, records which steps changed it and marks blank results as silent turns', () => {
    const result = cleanOutput('  "```"  ', 'Ann', DEFAULT_CLEANING)
    expect(result.raw).toBe('  "```"  ')
    expect(result.text).toBe('')
    expect(result.silent).toBe(true)
    expect(result.steps).toEqual([
      { kind: 'trim', changed: true },
      { kind: 'drop-own-name-label', changed: false },
      { kind: 'drop-comment-label', changed: false },
      { kind: 'strip-quotes', changed: true },
      { kind: 'remove-strings', changed: true },
      { kind: 'trim', changed: false }
    ])
  })

  it('in SDF v0 parity only removes triple backticks: no trim, labels kept', () => {
    const raw = ' DarkShadow333: ```hi```\n'
    expect(cleanOutput(raw, 'DarkShadow333', SDF_V0_CLEANING)).toEqual({
      raw,
      text: ' DarkShadow333: hi\n',
      silent: false,
      steps: [{ kind: 'remove-strings', changed: true }]
    })
    // SDF decided silence with Python's strip(), which also strips \x1c and \x85.
    expect(cleanOutput(' \x1c\x85\n', 'Ann', SDF_V0_CLEANING).silent).toBe(true)
  })

  it('is SDF parity for the SDF prompt modes and the full pipeline for the others', () => {
    expect(cleaningForPromptMode({ kind: 'sdf-v0', attribute_style: 'field-value-sex-word', prompt_format: 'sdf-alpaca' })).toBe(SDF_V0_CLEANING)
    expect(cleaningForPromptMode({ kind: 'modern', history: 'turns' })).toBe(DEFAULT_CLEANING)
  })

  it('removes configured strings in order, every occurrence', () => {
    expect(clean('a"b"c```', [{ kind: 'remove-strings', strings: ['```', '"'] }])).toBe('abc')
  })
})
