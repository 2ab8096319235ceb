import { describe, expect, it } from 'vitest'
import { DiscussionSchema } from '../../../src/core/schema/index.js'
import { detectFormat, FormatError, zodIssueToFormatError } from '../../../src/core/formats/index.js'
import { fixture, formatError, jsonFile, sourceFile } from './formatTestSupport.js'

describe('detecting the format of a file from its content', () => {
  it.each([
    ['v0/discussions_output/collective_constitution/24-11-15-12-43.json', 'sdf-v0-conversation'],
    ['v0.1/discussions_output/collective_constitution/25-01-02-21-59.json', 'sdf-v0.1-conversation'],
    ['syndisco-2.0/discussions_output/main/llama8b_vanilla.txt/26-02-10-22-32-56.json', 'syndisco-2.0-conversation'],
    ['syndisco-2.1/discussions_output/26-05-01-10-00.json', 'syndisco-2.1-logs'],
    ['syndisco-2.1/annotation_output/26-05-01-11-00.json', 'syndisco-2.1-annotation-logs'],
    ['v0/annotations_output/24-11-17-15-28.json', 'sdf-v0-annotation'],
    ['syndisco-2.0/annotation_output/main/26-02-11-09-00-00.json', 'sdf-v0.2-annotation'],
    ['v0/discussions_input/generated/3f2b8c1d-0e4a-4c6b-9d7e-8a1b2c3d4e5f.json', 'sdf-llm-conv-data'],
    ['v0/annotation_input/generated/4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f.json', 'sdf-annotation-config'],
    ['v0/discussions_input/other_configs/round_robin.json', 'sdf-other-configs'],
    ['v-1/personas/troll_1.json', 'sdf-v-1-persona'],
    ['v0/discussions_input/personas/troll_1.json', 'sdf-v0-persona'],
    ['v0.2/discussions_input/personas/personas.json', 'sdf-v0.2-persona-array'],
    ['syndisco-2.0/discussions_input/personas/personas_employed.json', 'syndisco-2.0-persona'],
    ['syndisco-2.1/personas/personas.json', 'syndisco-2.1-persona'],
    ['v0/discussions_input/topics/leading_space.txt', 'sdf-topic-text'],
    ['v0/annotation_input/instructions/toxicity.txt', 'sdf-instruction-text']
  ])('%s is %s', (path, format) => {
    const detected = detectFormat(fixture(path))
    if (detected instanceof FormatError) throw new Error(detected.describe())
    expect(detected.format).toBe(format)
  })

  it('explains what it expected when a JSON file is no SDF file', () => {
    const error = formatError(jsonFile('package.json', { name: 'x', version: '1.0.0' }))
    expect(error.message).toMatch(/^not a recognised SDF or SynDisco file: a JSON object with keys "name", "version"\. Expected a persona/)
    expect(formatError(jsonFile('x.json', 42)).message).toMatch(/^not a recognised SDF or SynDisco file: a bare JSON value/)
    expect(formatError(sourceFile('x.json', 'hello')).message).toMatch(/^invalid JSON/)
  })

  it('reports invalid JSON with the parser’s message', () => {
    const error = formatError(sourceFile('broken.json', '{"id": "a",'))
    expect(error.message).toMatch(/^invalid JSON: /)
    expect(error.field).toBeUndefined()
  })

  it('returns a FormatError, never throws, for nonsense', () => {
    expect(detectFormat(sourceFile('x.json', '{'))).toBeInstanceOf(FormatError)
    expect(detectFormat(null as never)).toBeInstanceOf(FormatError)
  })
})

describe('turning zod issues into format errors', () => {
  it('uses the issue path as the field, prefixed when the value was nested', () => {
    const result = DiscussionSchema.safeParse({ id: 'a', participants: [], comments: [{ index: 'x' }] })
    if (result.success) throw new Error('expected a failure')
    const error = zodIssueToFormatError('d.json', result.error, 'sdf_studio')
    expect(error.file).toBe('d.json')
    expect(error.field).toBe('sdf_studio.comments[0].index')
    expect(error.message).toMatch(/expected number.*\(and \d+ more problems?\)$/)
  })
})
