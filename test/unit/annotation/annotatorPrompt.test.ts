import { describe, expect, it } from 'vitest'
import { annotationTargets, annotatorPrompt, AnnotatorSpecSchema, DiscussionSchema } from '../../../src/core/index.js'

const discussion = DiscussionSchema.parse({
  id: 'conv-1',
  participants: [],
  moderator: 'moderator',
  comments: [
    ['alice', 'user', 'First comment'],
    ['moderator', 'moderator', 'Please stay civil.'],
    ['moderator_fan', 'user', 'A user whose name contains "moderator".'],
    ['bob', 'user', 'Second comment']
  ].map(([author, role, text], index) => ({ index, author, role, raw_text: text, text }))
})

const legacy = AnnotatorSpecSchema.parse({
  id: 'sdf-toxicity',
  name: 'SDF toxicity',
  mode: 'sdf-legacy',
  instructions: 'Rate toxicity. Output Toxicity=<number>',
  context: { history: 2 }
})

describe('what an annotator sees', () => {
  it('leaves moderator comments out by role, never by a substring of the name', () => {
    const targets = annotationTargets(legacy, discussion)
    expect(targets.map((target) => target.comment.author)).toEqual(['alice', 'moderator_fan', 'bob'])
    expect(targets[2]?.window.map((comment) => comment.author)).toEqual(['moderator_fan', 'bob'])
  })

  it('includes moderator comments when asked, in the window too', () => {
    const spec = AnnotatorSpecSchema.parse({ ...legacy, context: { history: 2, include_moderator_comments: true } })
    const targets = annotationTargets(spec, discussion)
    expect(targets).toHaveLength(4)
    expect(targets[2]?.window.map((comment) => comment.author)).toEqual(['moderator', 'moderator_fan'])
  })
})

describe('the SDF-legacy annotator prompt', () => {
  it('is SDF v0’s text byte for byte: empty name and context, wrapped history, "Output:"', () => {
    const [first] = annotationTargets(legacy, discussion)
    const prompt = annotatorPrompt(legacy, discussion, first!, ['age: 45', 'sex: female'])
    expect(prompt.system).toBe('You are  age: 45, sex: female. Context: . Your instructions: Rate toxicity. Output Toxicity=<number>.')
    expect(prompt.messages[1]?.content).toBe('Conversation so far:\n\nUser alice posted:\nFirst comment\nOutput:')
    expect(prompt.promptFormat).toBe('sdf-alpaca')
    expect(prompt.stop).toEqual(['###', '\n\n', 'User'])
  })
})

describe('the structured annotator prompt', () => {
  it('lists the labels and marks the comment to rate', () => {
    const spec = AnnotatorSpecSchema.parse({
      id: 'tox',
      name: 'Toxicity',
      instructions: 'You rate online comments.',
      labels: [{ name: 'toxicity', type: 'integer', min: 1, max: 5, description: '1 = not toxic' }]
    })
    const targets = annotationTargets(spec, discussion)
    const prompt = annotatorPrompt(spec, discussion, targets[1]!)
    expect(prompt.system).toContain('- toxicity: a whole number from 1 to 5 (1 = not toxic)')
    expect(prompt.messages[1]?.content).toBe(
      'Conversation (the comment to rate is marked >>>):\nalice: First comment\n>>> moderator_fan: A user whose name contains "moderator".'
    )
    expect(prompt.promptFormat).toBe('chat-template')
  })
})
