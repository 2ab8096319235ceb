import { describe, expect, it } from 'vitest'
import { normaliseLabelKey, parseLegacyAnnotationText } from '../../../src/core/formats/index.js'

describe('parsing legacy annotation text leniently', () => {
  it.each([
    ['Toxicity=4', { toxicity: 4 }],
    [' Toxicity=3', { toxicity: 3 }],
    ['Toxicity=4\nArgumentQuality=5', { toxicity: 4, argument_quality: 5 }],
    ['Argument Quality=3', { argument_quality: 3 }],
    ['**Toxicity**: 4', { toxicity: 4 }],
    ['**Toxicity**: 2\nArgument Quality=3', { toxicity: 2, argument_quality: 3 }],
    ['- Toxicity: 4/5', { toxicity: 4 }],
    ['Toxicity = 3, Stance=agree', { toxicity: 3, stance: 'agree' }],
    ['Output: Toxicity=4', { toxicity: 4 }],
    ['Toxicity=1.5 (mild)', { toxicity: 1.5 }],
    ['Toxicity=4.', { toxicity: 4 }],
    ['Score=-1', { score: -1 }],
    ['TOXICITY=5', { toxicity: 5 }]
  ])('reads %j', (raw, values) => {
    expect(parseLegacyAnnotationText(raw)).toEqual({ values, parsed: true })
  })

  it.each([
    ['', 'empty output'],
    ['2', 'a bare number, which the original regex could not read'],
    ['   ', 'white space'],
    ['Toxicity=N/A', 'a non-number the model made up'],
    ['The toxicity level is: 3', 'prose'],
    ['I cannot annotate this.', 'a refusal']
  ])('leaves %j unparsed (%s)', (raw) => {
    expect(parseLegacyAnnotationText(raw)).toEqual({ values: {}, parsed: false })
  })

  it('lets a later value for the same key win, as dict(re.findall(...)) did', () => {
    expect(parseLegacyAnnotationText('Toxicity=3\nToxicity=4').values).toEqual({ toxicity: 4 })
  })

  it('never lets a key reach an object prototype', () => {
    const { values } = parseLegacyAnnotationText('__proto__=3\nconstructor=2')
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype)
    // Normalising trims the underscores, so `__proto__` is stored as an ordinary key.
    expect(values).toEqual({ proto: 3, constructor: 2 })
  })

  it('stays fast on pathological model output', () => {
    const inputs = ['\n'.repeat(200_000), ' '.repeat(200_000), `a${'_'.repeat(100_000)}`, `Argument${' Quality'.repeat(30_000)}`, 'a='.repeat(50_000), `Toxicity=${'1'.repeat(100_000)}x`, `${'a '.repeat(50_000)}`]
    const started = performance.now()
    for (const input of inputs) parseLegacyAnnotationText(input)
    expect(performance.now() - started).toBeLessThan(1000)
  })

  it.each([
    ['Toxicity', 'toxicity'],
    ['ArgumentQuality', 'argument_quality'],
    ['Argument Quality', 'argument_quality'],
    ['argument_quality', 'argument_quality'],
    ['TOXICITY', 'toxicity'],
    ['HTMLScore', 'html_score'],
    ['Self-Harm', 'self_harm']
  ])('normalises the key %j to %j', (key, expected) => {
    expect(normaliseLabelKey(key)).toBe(expected)
  })
})
